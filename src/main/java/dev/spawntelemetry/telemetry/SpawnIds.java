package dev.spawntelemetry.telemetry;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (version 7, RFC 9562): ids sort by creation time, and 74 random bits
 * per millisecond keep them unique across spawners.
 */
final class SpawnIds {

	private SpawnIds() {
	}

	static String next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long mostSignificant = (System.currentTimeMillis() << 16) | 0x7000L | random.nextInt(0x1000);
		long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(mostSignificant, leastSignificant).toString();
	}

}
