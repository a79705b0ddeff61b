package dev.spawntelemetry.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ModelNames;

import org.springframework.http.HttpHeaders;

/**
 * Reads an export's body as OTLP/HTTP sends it: as it is, or gzip, each bounded.
 */
final class ExportBodies {

	private ExportBodies() {
	}

	/**
	 * The body as sent, decompressed if it is gzip, each bounded: an export far larger
	 * than any exporter's batch cannot take the memory of the others.
	 */
	static byte[] read(HttpServletRequest request, OtlpProperties properties) {
		try {
			return readBounded(request, properties);
		}
		catch (IOException ex) {
			throw RefusedExportException.notAnExport("The body could not be read: " + ex.getMessage() + ".");
		}
	}

	private static byte[] readBounded(HttpServletRequest request, OtlpProperties properties) throws IOException {
		long maxBody = properties.maxBodySize().toBytes();
		if (request.getContentLengthLong() > maxBody) {
			throw tooLargeAsSent(maxBody);
		}
		String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		coding = (coding != null) ? coding.strip() : "";
		boolean gzip = "gzip".equalsIgnoreCase(coding) || "x-gzip".equalsIgnoreCase(coding);
		if (!gzip && !coding.isEmpty() && !"identity".equalsIgnoreCase(coding)) {
			throw RefusedExportException.unsupported(
					"Content-Encoding '" + ModelNames.shown(coding) + "' is not accepted: send gzip or identity.");
		}
		byte[] sent = readAtMost(request.getInputStream(), maxBody);
		if (sent == null) {
			throw tooLargeAsSent(maxBody);
		}
		if (!gzip) {
			return sent;
		}
		long maxDecoded = properties.maxDecodedSize().toBytes();
		try (InputStream decompressed = new GZIPInputStream(new ByteArrayInputStream(sent))) {
			byte[] decoded = readAtMost(decompressed, maxDecoded);
			if (decoded == null) {
				throw RefusedExportException.tooLarge("The body decompresses to more than " + maxDecoded
						+ " bytes (telemetry.otlp.max-decoded-size); export smaller batches.");
			}
			return decoded;
		}
		catch (ZipException | java.io.EOFException ex) {
			throw RefusedExportException.notAnExport("The body is not valid gzip (" + ex.getMessage() + ").");
		}
	}

	private static RefusedExportException tooLargeAsSent(long max) {
		return RefusedExportException.tooLarge(
				"The body is larger than " + max + " bytes (telemetry.otlp.max-body-size); export smaller batches.");
	}

	/** All of a stream, or {@code null} if it holds more than {@code max} bytes. */
	private static byte @Nullable [] readAtMost(InputStream in, long max) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		long total = 0;
		int n;
		while ((n = in.read(buffer)) > 0) {
			total += n;
			if (total > max) {
				return null;
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

}
