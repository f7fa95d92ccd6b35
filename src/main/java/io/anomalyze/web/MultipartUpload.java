package io.anomalyze.web;

import io.anomalyze.InvalidInputException;
import io.anomalyze.analysis.FreeDisk;
import io.anomalyze.analysis.StorageFullException;
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
    /** Most parts in one upload: the file and a few fields; more is not a form of this service. */
    static final int MAX_PARTS = 16;
    /** Longest header block of one part: room for a long file name in UTF-8. */
    static final int MAX_PART_HEADER_BYTES = 8192;
    /** The only fields kept; others are read past. */
    private static final java.util.Set<String> FIELDS = java.util.Set.of("detector", Access.CSRF_FIELD);
    /** How often (in bytes written) the free space is checked again while an upload streams in. */
    private static final long DISK_CHECK_INTERVAL = 16L << 20;

    /**
     * Receives the upload into {@code target}.
     *
     * @param csrf when not null, the check of the form's CSRF token: the field must come before the
     *             file, so a forged form is refused before its file is read
     */
    static MultipartUpload receive(Context ctx, Path target, long maxBytes, java.util.function.Predicate<String> csrf)
            throws IOException {
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
        upload.setMaxPartHeaderSize(MAX_PART_HEADER_BYTES);
        String fileName = null;
        boolean gotFile = false;
        boolean csrfChecked = csrf == null;
        Map<String, String> fields = new HashMap<>();
        int parts = 0;
        try {
            FileItemInputIterator items = upload.getItemIterator(ctx.req());
            while (items.hasNext()) {
                FileItemInput item = items.next();
                if (++parts > MAX_PARTS) {
                    throw InvalidInputException.limit("the upload has more than " + MAX_PARTS + " parts, over the limit;"
                            + " send the file (field \"file\") and at most a few fields");
                }
                boolean isFile = !item.isFormField() && "file".equals(item.getFieldName()) && !gotFile;
                if (isFile && !csrfChecked) {
                    throw Access.csrfRefused();
                }
                String name = isFile ? clientFileName(item) : null;
                InputStream in = item.getInputStream();
                boolean failed = true;
                try {
                    if (isFile) {
                        copyWatchingDisk(in, target);
                        fileName = name;
                        gotFile = true;
                    } else if (item.isFormField() && FIELDS.contains(item.getFieldName())) {
                        byte[] value = in.readNBytes(MAX_FIELD_CHARS);
                        String text = new String(value, StandardCharsets.UTF_8).strip();
                        fields.put(item.getFieldName(), text);
                        if (Access.CSRF_FIELD.equals(item.getFieldName()) && !csrfChecked) {
                            if (!csrf.test(text)) {
                                throw Access.csrfRefused();
                            }
                            csrfChecked = true;
                        }
                        in.transferTo(OutputStream.nullOutputStream());
                    } else {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                    failed = false;
                } finally {
                    // Closing a part whose read failed fails again with the same error; the first is the one reported.
                    try {
                        in.close();
                    } catch (IOException e) {
                        if (!failed) {
                            throw e;
                        }
                    }
                }
            }
        } catch (FileUploadSizeException e) {
            if (e.getPermitted() == MAX_PART_HEADER_BYTES) {
                throw InvalidInputException.limit("a part of the upload has headers longer than the limit of "
                        + MAX_PART_HEADER_BYTES + " bytes (its file name?)");
            }
            throw tooLarge(maxBytes);
        } catch (FileUploadException e) {
            throw new InvalidInputException("the upload is not valid multipart/form-data (" + e.getMessage() + ")");
        }
        if (!gotFile || (fileName == null || fileName.isBlank()) && Files.size(target) == 0) {
            throw new InvalidInputException("no file was uploaded: choose a file (field \"file\")");
        }
        return new MultipartUpload(fileName, fields);
    }

    /** The file name the client gave, which the multipart library refuses to hand over when it holds a NUL. */
    private static String clientFileName(FileItemInput item) {
        try {
            return item.getName();
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidInputException("the upload's file name holds a NUL character; rename the file");
        }
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
    static void requireDiskSpace(Path target, long more) {
        long free = FreeDisk.shortOf(target.getParent(), more, FreeDisk.RESERVE);
        if (free >= 0) {
            throw new StorageFullException("not enough free disk space for this upload (" + (free >> 20) + " MB free, "
                    + (FreeDisk.RESERVE >> 20) + " MB kept in reserve); try again later");
        }
    }

    static InvalidInputException tooLarge(long maxBytes) {
        return InvalidInputException.limit("the upload is larger than the limit of " + (maxBytes >> 20)
                + " MB (--max-upload-mb / ANOMALYZE_MAX_UPLOAD_MB)");
    }
}
