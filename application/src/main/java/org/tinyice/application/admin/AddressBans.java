package org.tinyice.application.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.config.AddressRange;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.in.ManageBansUseCase;
import org.tinyice.application.port.in.ServerStatusQuery;

/**
 * The dashboard's and the API's bans: {@code banned_ips} changed through {@link ConfigChanges} (saved,
 * then in force for the next connection: the address rule reads the configuration in force).
 */
public final class AddressBans implements ManageBansUseCase {

    private static final String KEY = "banned_ips";

    private final ConfigChanges changes;
    private final ServerStatusQuery status;
    private final AdministerMountsUseCase admin;
    private final AccessPolicy policy;

    public AddressBans(ConfigChanges changes, ServerStatusQuery status, AdministerMountsUseCase admin,
                       AccessPolicy policy) {
        this.changes = changes;
        this.status = status;
        this.admin = admin;
        this.policy = policy;
    }

    @Override
    public Optional<List<String>> banned(Principal actor) {
        if (!policy.allows(actor, Action.MANAGE_BANS)) {
            return Optional.empty();
        }
        return Optional.of(changes.current().addressLists().banned().stream().map(AddressRange::toString).toList());
    }

    @Override
    public BanResult ban(Principal actor, String address) {
        if (!policy.allows(actor, Action.MANAGE_BANS)) {
            return new BanResult.Forbidden();
        }
        AddressRange range;
        try {
            range = AddressRange.parse(address, KEY);
        } catch (InvalidSettingException e) {
            return new BanResult.Invalid(e.getMessage());
        }
        return saved(changes.apply(c -> withBanned(c, range, true)), range);
    }

    @Override
    public BanResult banListener(Principal actor, String mount, long listenerId) {
        if (!policy.allows(actor, Action.MANAGE_BANS)) {
            return new BanResult.Forbidden();
        }
        Optional<String> address = status.listeners(mount).orElse(List.of()).stream()
                .filter(listener -> listener.id() == listenerId)
                .map(ServerStatusQuery.ListenerStatus::remoteAddress).findFirst();
        if (address.isEmpty()) {
            return new BanResult.NotFound();
        }
        AddressRange range;
        try {
            range = AddressRange.parse(address.get(), KEY);
        } catch (InvalidSettingException e) {
            return new BanResult.Invalid("the listener's address cannot be banned: " + e.getMessage());
        }
        BanResult result = saved(changes.apply(c -> withBanned(c, range, true)), range);
        if (result instanceof BanResult.Done) {
            // after the save: a listener that reconnects at once is then refused at accept
            admin.killListener(mount, listenerId);
        }
        return result;
    }

    @Override
    public BanResult unban(Principal actor, String address) {
        if (!policy.allows(actor, Action.MANAGE_BANS)) {
            return new BanResult.Forbidden();
        }
        AddressRange range;
        try {
            range = AddressRange.parse(address, KEY);
        } catch (InvalidSettingException e) {
            return new BanResult.Invalid(e.getMessage());
        }
        return changes.atomically(() -> {
            if (!changes.current().addressLists().banned().contains(range)) {
                return new BanResult.NotFound();
            }
            return saved(changes.apply(c -> withBanned(c, range, false)), range);
        });
    }

    private static BanResult saved(Optional<String> problem, AddressRange range) {
        return problem.<BanResult>map(BanResult.Invalid::new).orElseGet(() -> new BanResult.Done(range.toString()));
    }

    private static ServerConfig withBanned(ServerConfig config, AddressRange range, boolean banned) {
        List<AddressRange> list = new ArrayList<>(config.addressLists().banned());
        list.remove(range);
        if (banned) {
            list.add(range);
        }
        return config.withAddressLists(config.addressLists().withBanned(list));
    }
}
