package org.tinyice.application.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.ConfigureMountsUseCase;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.domain.mount.MountPath;
import org.tinyice.domain.mount.MountRegistry;

/**
 * The dashboard's mount settings. Listener limits, burst size, fallback and visibility are read from
 * the configuration in force on every use, so a saved edit applies to the next listener; a new source
 * password applies to the next source login (the connected source stays).
 */
public final class MountSettingsEditor implements ConfigureMountsUseCase {

    private final ConfigChanges changes;
    private final MountRegistry registry;
    private final AdministerMountsUseCase admin;
    private final PasswordHasher hasher;
    private final AccessPolicy policy;

    public MountSettingsEditor(ConfigChanges changes, MountRegistry registry, AdministerMountsUseCase admin,
                               PasswordHasher hasher, AccessPolicy policy) {
        this.changes = changes;
        this.registry = registry;
        this.admin = admin;
        this.hasher = hasher;
        this.policy = policy;
    }

    @Override
    public List<MountSettings> mounts(DashboardUser actor) {
        ServerConfig now = changes.current();
        Set<String> live = new TreeSet<>();
        registry.all().forEach(m -> live.add(m.path())); // hidden ones too: the dashboard shows them
        Set<String> paths = new java.util.LinkedHashSet<>(now.mounts().keySet());
        paths.addAll(live);
        List<MountSettings> settings = new ArrayList<>();
        for (String path : paths) {
            if (policy.allows(actor, Action.EDIT_MOUNT, path)) {
                MountConfig m = now.mount(path);
                settings.add(new MountSettings(path, m.name(), m.password().isPresent(), m.maxListeners(),
                        m.burstSize(), m.fallback(), m.fallbackOverride(), m.isPublic(), m.hidden(), m.enabled(),
                        now.mounts().containsKey(path), live.contains(path), m.lowLatency().enabled()));
            }
        }
        return settings;
    }

    @Override
    public SettingsChange edit(DashboardUser actor, EditMountCommand command) {
        if (!MountPath.isValid(command.path())) {
            return new SettingsChange.Invalid("not a mount: " + command.path());
        }
        if (!policy.allows(actor, Action.EDIT_MOUNT, command.path())) {
            return new SettingsChange.Forbidden();
        }
        Optional<String> problem = problem(command);
        if (problem.isPresent()) {
            return new SettingsChange.Invalid(problem.get());
        }
        if (command.fallback().filter(f -> !policy.allows(actor, Action.EDIT_MOUNT, f)).isPresent()) {
            return new SettingsChange.Invalid("you may only fall back to a mount of yours");
        }
        // hashed once, outside the change: the same hash goes to the file and into force
        Optional<Secret> newPassword = switch (command.password()) {
            case PasswordChange.Replace r -> Optional.of(new Secret.Hashed(hasher.hash(r.password())));
            default -> Optional.empty();
        };
        return done(changes.apply(c -> {
            MountConfig old = c.mount(command.path());
            Optional<Secret> password = switch (command.password()) {
                case PasswordChange.Keep k -> old.password();
                case PasswordChange.Clear x -> Optional.empty();
                case PasswordChange.Replace r -> newPassword;
            };
            return withMount(c, new MountConfig(command.path(), password, command.maxListeners(),
                    command.burstSize(), command.fallback(), command.fallbackOverride(), command.isPublic(),
                    command.hidden(), old.name(), old.auth(), old.fileBitrate(), old.enabled(),
                    command.lowLatency().map(on -> old.lowLatency().withEnabled(on)).orElse(old.lowLatency()),
                    old.allowedIps()));
        }, c -> fallbackLoop(c, command.path())));
    }

    @Override
    public SettingsChange setEnabled(DashboardUser actor, String mountPath, boolean enabled) {
        if (!MountPath.isValid(mountPath)) {
            return new SettingsChange.Invalid("not a mount: " + mountPath);
        }
        if (!policy.allows(actor, Action.EDIT_MOUNT, mountPath)) {
            return new SettingsChange.Forbidden();
        }
        // in one step: another admin's Enable cannot come between this save and this kill
        return changes.atomically(() -> {
            SettingsChange change = done(changes.apply(c -> withMount(c, c.mount(mountPath).withEnabled(enabled))));
            if (!enabled && change instanceof SettingsChange.Done) {
                admin.killSource(mountPath); // off the air now, not at the source's next reconnect
            }
            return change;
        });
    }

    private static ServerConfig withMount(ServerConfig config, MountConfig mount) {
        Map<String, MountConfig> mounts = new LinkedHashMap<>(config.mounts());
        mounts.put(mount.path(), mount);
        return config.withMounts(mounts);
    }

    private static Optional<String> problem(EditMountCommand command) {
        try {
            // checked before hashing a new password, and by the record's rules, the file's too
            new MountConfig(command.path(), Optional.empty(), command.maxListeners(), command.burstSize(),
                    command.fallback(), command.fallbackOverride(), command.isPublic(), command.hidden(),
                    Optional.empty());
        } catch (InvalidSettingException e) {
            return Optional.of(inFormWords(e, command));
        }
        if (command.password() instanceof PasswordChange.Replace r
                && (r.password().isEmpty() || r.password().length() > 200
                || r.password().chars().anyMatch(Character::isISOControl))) {
            return Optional.of("a source password is 1 to 200 characters on one line");
        }
        return Optional.empty();
    }

    /** The record's refusal told as the settings form labels its fields; the ranges stay the record's. */
    private static String inFormWords(InvalidSettingException refused, EditMountCommand command) {
        return switch (refused.settings().getFirst()) {
            case "max_listeners" -> "max listeners is a number from 0 (no limit) to " + Limits.MAX_LISTENERS;
            case "burst_size" -> "the burst size is a number of bytes from 0 to " + Limits.MAX_BURST_SIZE;
            case "fallback" -> command.fallback().filter(command.path()::equals).isPresent()
                    ? "a mount cannot fall back to itself" : "the fallback must be a mount such as /backup";
            default -> refused.getMessage();
        };
    }

    /**
     * The file had no loop when it was loaded, so a new one runs through the edited mount: the chain is
     * walked from there.
     */
    private static Optional<String> fallbackLoop(ServerConfig config, String edited) {
        return MountConfig.fallbackLoop(config.mounts(), edited).map(loop -> "that makes a fallback loop: " + loop);
    }

    private static SettingsChange done(Optional<String> problem) {
        return problem.<SettingsChange>map(SettingsChange.Invalid::new).orElseGet(SettingsChange.Done::new);
    }
}
