/**
 * The upload itself: `multipart/form-data` straight to the presigned POST's `url` (the bucket, or the API's own
 * /uploads), every field first and the file last as `file` — never through GraphQL. XMLHttpRequest, not fetch: only
 * it reports upload progress.
 */

/**
 * A failed upload. `sameFormAgain`: sending this form again may work (the network, or the store's own trouble);
 * otherwise the form itself was refused (expired, wrong size or type) and a retry needs a new one.
 */
export class UploadFailed extends Error {
  constructor(
    message: string,
    readonly sameFormAgain: boolean,
  ) {
    super(message);
    this.name = 'UploadFailed';
  }
}

export interface UploadForm {
  url: string;
  fields: ReadonlyArray<{ name: string; value: string }>;
}

/** The message of an S3-style XML error body (`<Error><Message>…</Message></Error>`), if there is one. */
function errorMessageOf(body: string): string | null {
  const match = /<Message>([^<]*)<\/Message>/.exec(body);
  return match?.[1]?.trim() || null;
}

export function postUpload(
  form: UploadForm,
  file: Blob,
  options: { onProgress?(fraction: number): void; signal?: AbortSignal } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const { signal, onProgress } = options;
    if (signal?.aborted) return reject(new DOMException('The upload was cancelled.', 'AbortError'));
    const body = new FormData();
    for (const field of form.fields) body.append(field.name, field.value);
    body.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.min(1, event.loaded / event.total));
    };
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      done();
      // 409: the store already has this upload's bytes (an earlier attempt got through but its answer was lost).
      if ((xhr.status >= 200 && xhr.status < 300) || xhr.status === 409) {
        onProgress?.(1);
        return resolve();
      }
      const why = errorMessageOf(String(xhr.responseText ?? ''));
      // 4xx: this form will not be taken as it is (expired policy, wrong size or type); 5xx may pass later.
      const sameFormAgain = xhr.status >= 500 || xhr.status === 408 || xhr.status === 429;
      const what = sameFormAgain ? 'Upload failed' : 'Upload refused';
      reject(new UploadFailed(why ? `${what}: ${why}` : `${what} (HTTP ${xhr.status}).`, sameFormAgain));
    };
    xhr.onerror = () => {
      done();
      reject(new UploadFailed('Upload failed: the server could not be reached.', true));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.send(body);
  });
}
