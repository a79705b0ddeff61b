package dev.spawntelemetry.security;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * Optional bearer tokens. With a write token, every write needs it; with a read token as
 * well, every read needs one of the two. Health stays open either way.
 *
 * @param writeToken the token writes must present; unset, anybody may write
 * @param readToken the token reads must present (the write token works too); unset,
 * anybody may read. Only with a write token: a read token alone stops the start
 */
@ConfigurationProperties("telemetry.security")
record AccessTokensProperties(@Nullable String writeToken, @Nullable String readToken) {

	AccessTokensProperties {
		if (StringUtils.hasText(readToken) && !StringUtils.hasText(writeToken)) {
			throw new IllegalArgumentException(
					"telemetry.security.read-token is set but telemetry.security.write-token "
							+ "is not, which would close the reads and leave the writes open to everybody. Set "
							+ "TELEMETRY_SECURITY_WRITE_TOKEN as well, or unset the read token.");
		}
	}

	boolean writesProtected() {
		return StringUtils.hasText(this.writeToken);
	}

	boolean readsProtected() {
		return StringUtils.hasText(this.readToken);
	}

}
