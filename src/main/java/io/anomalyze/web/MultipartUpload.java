package io.anomalyze.web;

import io.anomalyze.read.InvalidInputException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet5.JakartaServletFileUpload;

/**
 * Reads a multipart upload as a stream: the {@code file} part goes straight to a file the
 * service named, other fields are kept as short strings. Nothing is buffered whole in memory.
 *
 * @param clientFileName the name the client gave the file (display only), or null
 * @param fields         the form's other fields
 */
record MultipartUpload(String clientFileName, Map<String, String> fields) {

    private static final int MAX_FIELD_CHARS = 1000;
    private static final long FREE_DISK_RESERVE = io.anomalyze.analysis.AnalysisService.FREE_DISK_RESERVE;
    /** How often (in bytes written) the free space is checked again while an upload streams in. */
    private static final long DISK_CHECK_INTERVAL = 16L << 20;

    static MultipartUpload receive(Context ctx, Path target, long maxBytes) throws IOException {
        if (!JakartaServletFileUpload.isMultipartContent(ctx.req())) {
            throw new InvalidInputException("expected a multipart/form-data upload with a field \"file\"");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + (1 << 20)) {
            throw tooLarge(maxBytes);
        }
        requireDiskSpace(target, Math.max(0, declared));
        var upload = new JakartaServletFileUpload<>();
        upload.setMaxFileSize(maxBytes);
        upload.setMaxSize(maxBytes + (1 << 20));
        upload.setMaxFileCount(10);
        String fileName = null;
        boolean gotFile = false;
        Map<String, String> fields = new HashMap<>();
        try {
            FileItemInputIterator items = upload.getItemIterator(ctx.req());
            while (items.hasNext()) {
                FileItemInput item = items.next();
                try (InputStream in = item.getInputStream()) {
                    if (!item.isFormField() && "file".equals(item.getFieldName()) && !gotFile) {
                        copyWatchingDisk(in, target);
                        fileName = item.getName();
                        gotFile = true;
                    } else if (item.isFormField()) {
                        byte[] value = in.readNBytes(MAX_FIELD_CHARS);
                        fields.put(item.getFieldName(), new String(value, StandardCharsets.UTF_8).strip());
                    } else {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            }
        } catch (FileUploadSizeException e) {
            throw tooLarge(maxBytes);
        } catch (FileUploadException e) {
            throw new InvalidInputException("the upload is not valid multipart/form-data (" + e.getMessage() + ")");
        }
        if (!gotFile || (fileName == null || fileName.isBlank()) && Files.size(target) == 0) {
            throw new InvalidInputException("no file was uploaded: choose a file (field \"file\")");
        }
        return new MultipartUpload(fileName, fields);
    }

    /** Streams the part to disk, stopping when the disk would fill. */
    private static void copyWatchingDisk(InputStream in, Path target) throws IOException {
        byte[] buf = new byte[1 << 16];
        long sinceCheck = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                sinceCheck += n;
                if (sinceCheck >= DISK_CHECK_INTERVAL) {
                    sinceCheck = 0;
                    requireDiskSpace(target, 0);
                }
            }
        }
    }

    /** 507 when writing {@code more} bytes next to {@code target} would leave less than the reserve free. */
    static void requireDiskSpace(Path target, long more) throws IOException {
        long usable = Files.getFileStore(target.getParent()).getUsableSpace();
        if (usable - more < FREE_DISK_RESERVE) {
            throw new HttpError(507, "not enough free disk space for this upload (" + (usable >> 20) + " MB free, "
                    + (FREE_DISK_RESERVE >> 20) + " MB kept in reserve); try again later");
        }
    }

    static InvalidInputException tooLarge(long maxBytes) {
        return InvalidInputException.limit("the upload is larger than the limit of " + (maxBytes >> 20)
                + " MB (--max-upload-mb / ANOMALYZE_MAX_UPLOAD_MB)");
    }
}
