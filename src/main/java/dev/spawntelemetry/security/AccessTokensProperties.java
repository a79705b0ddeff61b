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
 * anybody may read
 */
@ConfigurationProperties("telemetry.security")
record AccessTokensProperties(@Nullable String writeToken, @Nullable String readToken) {

	boolean writesProtected() {
		return StringUtils.hasText(this.writeToken);
	}

	boolean readsProtected() {
		return StringUtils.hasText(this.readToken);
	}

}
