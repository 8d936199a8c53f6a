import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdf, { Signer } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/app-config';
import { APP_CONFIG } from '../common/tokens';

const { asn1, pki } = forge;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

const seq = (...values: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, values);
const set = (...values: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, values);
const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const integer = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
const algorithm = (value: string) => seq(oid(value), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''));
const attribute = (type: string, value: forge.asn1.Asn1) => seq(oid(type), set(value));

/**
 * A CAdES detached signature (CMS SignedData) as PAdES B-B asks of it (ETSI EN 319 142-1 5.1): signed attributes
 * content-type, message-digest and ESS signing-certificate-v2 (the certificate's SHA-256, so the signer cannot be
 * swapped), and no signing-time attribute (the time is the signature dictionary's /M). node-forge's PKCS#7 writer cannot
 * write signing-certificate-v2, so the structure is built here with its ASN.1 module; the RSA signature is forge's.
 */
export class CadesSigner extends Signer {
  private readonly key: forge.pki.rsa.PrivateKey;
  private readonly certificate: forge.pki.Certificate;
  private readonly chain: forge.pki.Certificate[];

  constructor(p12: Buffer, password: string) {
    super();
    const parsed = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, password);
    const keys = [
      ...(parsed.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag })[pki.oids.pkcs8ShroudedKeyBag] ?? []),
      ...(parsed.getBags({ bagType: pki.oids.keyBag })[pki.oids.keyBag] ?? []),
    ];
    const key = keys[0]?.key as forge.pki.rsa.PrivateKey | undefined;
    if (!key) throw new Error('the PKCS#12 file holds no private key');
    this.chain = (parsed.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? []).map((bag) => bag.cert!).filter(Boolean);
    const own = this.chain.find((certificate) => {
      const publicKey = certificate.publicKey as forge.pki.rsa.PublicKey;
      return publicKey.n?.compareTo(key.n) === 0 && publicKey.e?.compareTo(key.e) === 0;
    });
    if (!own) throw new Error('no certificate in the PKCS#12 file matches its private key (an RSA key is required)');
    this.key = key;
    this.certificate = own;
  }

  /** The subject's common name, shown as the signer. */
  get signerName(): string {
    const value = this.certificate.subject.getField('CN')?.value;
    if (typeof value !== 'string') return '';
    try {
      return forge.util.decodeUtf8(value);
    } catch {
      return value;
    }
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const certificateDer = asn1.toDer(pki.certificateToAsn1(this.certificate)).getBytes();
    const digest = forge.md.sha256.create().update(content.toString('binary')).digest().getBytes();
    const certificateHash = forge.md.sha256.create().update(certificateDer).digest().getBytes();
    // The issuer and serial exactly as the certificate encodes them: forge's name writer would encode a Chinese name's
    // UTF-8 a second time, and the signer would no longer match its certificate.
    const tbs = this.certificate.tbsCertificate.value as forge.asn1.Asn1[];
    const first = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    const serial = tbs[first];
    const issuer = tbs[first + 2];
    const issuerSerial = seq(seq(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer])), serial);
    const attributes = [
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octets(digest)),
      attribute(OID.signingCertificateV2, seq(seq(seq(octets(certificateHash), issuerSerial)))),
    ];
    // RFC 5652 5.4: the signature covers the attributes DER-encoded as a SET OF.
    const signedBytes = asn1.toDer(set(...attributes)).getBytes();
    const signature = this.key.sign(forge.md.sha256.create().update(signedBytes));
    const signerInfo = seq(
      integer(String.fromCharCode(1)),
      seq(issuer, serial),
      algorithm(OID.sha256),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
      algorithm(OID.rsaEncryption),
      octets(signature),
    );
    const signedData = seq(
      integer(String.fromCharCode(1)),
      set(algorithm(OID.sha256)),
      seq(oid(OID.data)),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, this.chain.map((certificate) => pki.certificateToAsn1(certificate))),
      set(signerInfo),
    );
    const contentInfo = seq(oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]));
    return Buffer.from(asn1.toDer(contentInfo).getBytes(), 'binary');
  }
}

/**
 * Optional PAdES signing of issued letters: where the agency has configured a PKCS#12 certificate
 * (LETTER_SIGNING_P12_FILE / _PASSWORD), the frozen PDF is the signed one, and its SHA-256 is the signed file's.
 * The certificate is read at boot: a wrong file or password stops the service with the reason.
 */
@Injectable()
export class LetterSigning {
  private readonly signer: CadesSigner | null;
  private readonly agencyCode: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.agencyCode = config.LETTER_SIGNING_AGENCY ?? config.AGENCY_CODE;
    if (!config.LETTER_SIGNING_P12_FILE) {
      this.signer = null;
      return;
    }
    try {
      this.signer = new CadesSigner(readFileSync(config.LETTER_SIGNING_P12_FILE), config.LETTER_SIGNING_P12_PASSWORD ?? '');
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  LETTER_SIGNING_P12_FILE: cannot use ${config.LETTER_SIGNING_P12_FILE}: ${(error as Error).message}`);
    }
  }

  /** Whether this agency's letters are signed. */
  signs(agencyCode: string): boolean {
    return this.signer !== null && agencyCode === this.agencyCode;
  }

  /** The PDF signed for `agency` (an invisible signature, ETSI.CAdES.detached), or unchanged when it signs nothing. */
  async sign(pdf: Buffer, agency: { code: string; name: string }, reason: string): Promise<Buffer> {
    if (!this.signer || !this.signs(agency.code)) return pdf;
    const document = await PDFDocument.load(pdf, { updateMetadata: false });
    pdflibAddPlaceholder({
      pdfDoc: document,
      reason,
      contactInfo: '',
      name: this.signer.signerName || agency.name,
      location: agency.name,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      // Room for a chain of a few certificates.
      signatureLength: 16384,
      appName: '依申请公开 Desk',
    });
    const prepared = Buffer.from(await document.save({ useObjectStreams: false, updateFieldAppearances: false }));
    return signpdf.sign(prepared, this.signer);
  }
}
