package org.tinyice.application.port.in;

import java.net.InetAddress;
import java.util.List;

/**
 * Which client addresses may connect, and who the client behind a trusted proxy is: the rule every
 * entry point (the Icecast port, the SHOUTcast ports, routed pages and APIs) asks at accept.
 */
public interface ClientAddressPolicy {

    /** Whether {@code peer} is a trusted proxy, whose forwarded headers say who the client is. */
    boolean isTrustedProxy(InetAddress peer);

    /**
     * The client a request from {@code peer} is for: {@code peer} itself unless it is a trusted proxy;
     * then the right-most address of the forwarded chain that is not a trusted proxy.
     *
     * @param forwardedFor the {@code X-Forwarded-For} header values, in the order they came
     * @param forwarded    the {@code Forwarded} header values (RFC 7239), in the order they came; read only
     *                     when there is no {@code X-Forwarded-For}
     */
    InetAddress client(InetAddress peer, List<String> forwardedFor, List<String> forwarded);

    /** Whether {@code client} may connect at all: not banned, and on {@code allowed_ips} when that is set. */
    boolean mayConnect(InetAddress client);

    /** Whether {@code client} may listen or send to {@code mount} (its {@code allowed_ips}, when set). */
    boolean mayUseMount(InetAddress client, String mount);
}
