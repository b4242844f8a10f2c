import { ProblemError, type Problem } from './api/client';

export interface Progress {
  readonly bytes: number;
  /** From Content-Length, when the server sent one. */
  readonly total: number | null;
}

/**
 * Reads a streamed answer chunk by chunk, reporting the bytes so far (a long export shows its
 * progress), then hands it to the browser as a file download.
 */
export async function saveStream(
  call: Promise<{ data?: ReadableStream<Uint8Array> | null; response: Response }>,
  filename: string,
  onProgress: (progress: Progress) => void,
): Promise<number> {
  const { data, response } = await call;
  if (!response.ok || !data) {
    let problem: Problem = { status: response.status, detail: response.statusText };
    try {
      problem = {
        ...(JSON.parse(await new Response(data).text()) as Problem),
        status: response.status,
      };
    } catch {
      // not problem+json: the status says it
    }
    throw new ProblemError(problem);
  }
  const length = response.headers.get('content-length');
  const total = length === null ? null : Number(length);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = data.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    onProgress({ bytes, total });
  }
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL: it may go after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return bytes;
}

export function progressText(progress: Progress | null): string {
  if (progress === null) return '';
  const kb = (progress.bytes / 1024).toFixed(1);
  return progress.total
    ? `${kb} KiB of ${(progress.total / 1024).toFixed(1)} KiB (${Math.round((100 * progress.bytes) / progress.total)} %)`
    : `${kb} KiB received`;
}
