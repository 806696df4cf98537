// The im files endpoints of the Feishu emulator: upload (POST /open-apis/im/v1/files), download of a message's
// resource, and the check that a file message names a file this app uploaded. Their own file because files have
// their own kinds, size limits and error codes (234xxx), apart from messages, tokens and the contact directory.
import { bad, ok, type Reply, type UploadedFile } from './feishu-emulator-types';
import { feishuError, randomHex } from './feishu-wire';

/** The files this app uploaded (and the ones users sent), by file_key, until the emulator is reset. */
export type FileStore = Map<string, UploadedFile>;

// Feishu's own limits and kinds for im files; 'xls' covers .xlsx and 'stream' anything else.
const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];
const MAX_FILE_BYTES = 30 * 1024 * 1024;
// Message types whose content points at an uploaded file, and the upload kinds each accepts.
const FILE_MESSAGES: Record<string, (fileType: string) => boolean> = {
  file: (t) => t !== 'mp4' && t !== 'opus', // a video or voice upload must go out as media / audio
  media: (t) => t === 'mp4',
  audio: (t) => t === 'opus',
};
const resourceError = (code: number, msg: string) => bad(feishuError(code, msg));

/**
 * A file message must name a file this app uploaded, of a kind that message type carries. The unknown-key
 * answer is Feishu's invalid-parameter error (230001); a kind mismatch is 230055, as Feishu sends it.
 */
export function checkFileContent(files: FileStore, msgType: string, content: any): Reply | undefined {
  const accepts = FILE_MESSAGES[msgType];
  if (!accepts) return undefined;
  const file = typeof content?.file_key === 'string' ? files.get(content.file_key) : undefined;
  if (!file)
    return bad(
      feishuError(
        230001,
        `Your request contains an invalid request parameter, ext=invalid file_key: ${content?.file_key ?? ''}`,
      ),
    );
  if (!accepts(file.fileType))
    return bad(feishuError(230055, 'The type of file upload does not match the type of message being sent.'));
  return undefined;
}

/** POST /open-apis/im/v1/files (multipart: file_type, file_name, file): keeps the bytes, answers a file_key. */
export function uploadFile(files: FileStore, b: Record<string, any>): Reply {
  const fileType = typeof b.file_type === 'string' ? b.file_type : '';
  if (!FILE_TYPES.includes(fileType)) return resourceError(234001, 'Invalid request param.');
  if (typeof b.file_name !== 'string' || !b.file_name) return resourceError(234001, 'Invalid request param.');
  const bytes: Buffer | undefined = Buffer.isBuffer(b.file)
    ? b.file
    : typeof b.file === 'string'
      ? Buffer.from(b.file)
      : undefined;
  if (!bytes) return resourceError(234001, 'Invalid request param.');
  if (bytes.length === 0) return resourceError(234010, "File's size can't be 0.");
  if (bytes.length > MAX_FILE_BYTES) return resourceError(234006, 'The file size exceed the max value.');
  const fileKey = `file_v3_00${randomHex(2)}_${randomHex(16)}`;
  files.set(fileKey, { fileKey, fileName: b.file_name, fileType, bytes });
  return ok({ file_key: fileKey });
}

/**
 * GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file|image: the bytes of a file in a
 * message the bot sent or received. Feishu requires key and message to match (234003 otherwise).
 */
export function messageResource(
  files: FileStore,
  ids: string,
  q: URLSearchParams,
  contentOf: (messageId: string) => any,
): Reply {
  const [messageId = '', fileKey = ''] = ids.split('/resources/'); // already decoded by FeishuApi.route()
  const type = q.get('type');
  if (type !== 'file' && type !== 'image') return resourceError(234001, 'Invalid request param.');
  const content = contentOf(messageId);
  if (content === undefined) return resourceError(234001, 'Invalid request param.');
  const file = files.get(fileKey);
  if (!file || (content.file_key !== fileKey && content.image_key !== fileKey))
    return resourceError(234003, 'File not in msg.');
  return {
    status: 200,
    body: file.bytes,
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${encodeURIComponent(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    },
  };
}
