import { createCipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { signV4 } from 'minio/dist/esm/signing.mjs';

/** Where MinIO's admin API answers and the root key that signs for it (the start's alone). */
type RootEndpoint = { endPoint: string; port: number; useSSL: boolean; accessKey: string; secretKey: string; region: string };

/**
 * What the running daemon may do in its MinIO: write, read, list, tag, lock (extend), hold, abort uploads.
 * Explicitly denied, whatever another policy grants: bypassing governance retention, deleting any object
 * version, and deleting (hiding behind a marker) anything under items/ or audit/. Bucket-level rights
 * cover creating a bucket with object lock (MinIO asks for the lock and versioning rights then; neither
 * can turn a lock-enabled bucket's lock or versioning off) and removing an empty bucket.
 * docs/minio-policy.md gives the same policy for a configured MinIO; a unit test keeps them equal.
 */
export const DAEMON_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        's3:ListAllMyBuckets', 's3:GetBucketLocation', 's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:ListBucketVersions',
        's3:ListBucketMultipartUploads', 's3:GetBucketObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration',
        's3:GetBucketVersioning', 's3:PutBucketVersioning',
      ],
      Resource: ['arn:aws:s3:::*'],
    },
    {
      Effect: 'Allow',
      Action: [
        's3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging',
        's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:GetObjectRetention', 's3:PutObjectRetention',
        's3:GetObjectLegalHold', 's3:PutObjectLegalHold', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts',
      ],
      Resource: ['arn:aws:s3:::*/*'],
    },
    { Effect: 'Deny', Action: ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion'], Resource: ['arn:aws:s3:::*/*'] },
    { Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: ['arn:aws:s3:::*/items/*', 'arn:aws:s3:::*/audit/*'] },
  ],
};

export const DAEMON_POLICY_NAME = 'evidock-daemon';

/** PBKDF2-SHA256 cost and the algorithm id MinIO's admin API (madmin) accepts for a body sealed with AES-256-GCM. */
const PBKDF2_ROUNDS = 8192;
const PBKDF2_AES_GCM = 0x02;
const FRAGMENT = 16 * 1024;

function gcm(key: Buffer, nonce8: Buffer, seq: number, plain: Buffer, aad: Buffer): Buffer {
  const nonce = Buffer.alloc(12);
  nonce8.copy(nonce);
  nonce.writeUInt32LE(seq, 8);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * The admin API's encrypted body, keyed by the caller's secret key: salt | algorithm id | nonce | a DARE
 * (sio) stream of 16 KiB fragments, each sealed with its sequence number, the last one flagged final.
 * Written from the format's description; MinIO decrypting it is the test (test/integration/least-privilege).
 */
export function encryptAdminBody(password: string, data: Buffer): Buffer {
  const salt = randomBytes(32);
  const nonce8 = randomBytes(8);
  const key = pbkdf2Sync(password, salt, PBKDF2_ROUNDS, 32, 'sha256');
  const header = gcm(key, nonce8, 0, Buffer.alloc(0), Buffer.alloc(0));
  const parts: Buffer[] = [salt, Buffer.from([PBKDF2_AES_GCM]), nonce8];
  let seq = 1;
  let offset = 0;
  for (; data.length - offset > FRAGMENT; offset += FRAGMENT) parts.push(gcm(key, nonce8, seq++, data.subarray(offset, offset + FRAGMENT), Buffer.concat([Buffer.from([0x00]), header])));
  parts.push(gcm(key, nonce8, seq, data.subarray(offset), Buffer.concat([Buffer.from([0x80]), header])));
  return Buffer.concat(parts);
}

/** One signed call to MinIO's admin API (`/minio/admin/v3/...`) with the root credentials. */
async function adminCall(root: RootEndpoint, method: 'PUT' | 'POST', pathAndQuery: string, body: Buffer): Promise<void> {
  const host = `${root.endPoint}:${root.port}`;
  const date = new Date();
  const amzDate = date.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = { host, 'x-amz-date': amzDate, 'x-amz-content-sha256': sha256, 'content-length': String(body.length) };
  headers.authorization = signV4({ method, path: pathAndQuery, headers } as never, root.accessKey, root.secretKey, root.region, date, sha256);
  const { host: _host, ...sent } = headers;
  const response = await fetch(`${root.useSSL ? 'https' : 'http'}://${host}${pathAndQuery}`, { method, headers: sent, body: new Uint8Array(body) });
  if (!response.ok) throw new Error(`MinIO admin ${pathAndQuery.split('?')[0]} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/**
 * Creates (or refreshes) the daemon's own MinIO user and its policy, with the root credentials: run at every
 * start of the embedded MinIO, so a policy changed by hand is put back.
 */
export async function provisionDaemonUser(root: RootEndpoint, user: { accessKey: string; secretKey: string }): Promise<void> {
  const q = encodeURIComponent;
  await adminCall(root, 'PUT', `/minio/admin/v3/add-canned-policy?name=${q(DAEMON_POLICY_NAME)}`, Buffer.from(JSON.stringify(DAEMON_POLICY)));
  const request = Buffer.from(JSON.stringify({ secretKey: user.secretKey, status: 'enabled' }));
  await adminCall(root, 'PUT', `/minio/admin/v3/add-user?accessKey=${q(user.accessKey)}`, encryptAdminBody(root.secretKey, request));
  await adminCall(root, 'PUT', `/minio/admin/v3/set-user-or-group-policy?isGroup=false&policyName=${q(DAEMON_POLICY_NAME)}&userOrGroup=${q(user.accessKey)}`, Buffer.alloc(0));
}
