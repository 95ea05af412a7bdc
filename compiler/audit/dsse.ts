// DSSE envelopes (Dead Simple Signing Envelope, as in-toto uses them): the payload is signed with
// its type through the pre-authentication encoding, so standard in-toto / DSSE tools verify a
// record with the public key alone. Ed25519 keys, from node:crypto.
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { sha256Hex } from '../../core/hash.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Envelope {
  readonly payloadType: string;
  /** Base64 of the payload bytes. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** A key id that names the public key: sha256 of its SPKI DER. */
export function keyId(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

export function loadPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

export function loadPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the public key is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

export function signEnvelope(payload: Buffer, payloadType: string, privateKey: KeyObject): Envelope {
  const publicKey = createPublicKey(privateKey);
  const sig = sign(null, pae(payloadType, payload), privateKey);
  return {
    payloadType,
    payload: payload.toString('base64'),
    signatures: [{ keyid: keyId(publicKey), sig: sig.toString('base64') }],
  };
}

/** Whether one of the envelope's signatures is valid for `publicKey`. */
export function verifyEnvelope(envelope: Envelope, publicKey: KeyObject): boolean {
  const body = Buffer.from(envelope.payload, 'base64');
  const message = pae(envelope.payloadType, body);
  return envelope.signatures.some((s) => {
    try {
      return verify(null, message, publicKey, Buffer.from(s.sig, 'base64'));
    } catch {
      return false;
    }
  });
}
