import CertificateKit
import Foundation

/// libFuzzer entry point over certificate parsing: `Certificate.parseAll` (PEM and DER), then every
/// derived property and the full check pass, so that a certificate OpenSSL accepts but certhook's field
/// readers mishandle also shows up. Any trap, crash or sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func certificateFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  guard let chain = try? Certificate.parseAll(bytes, source: "fuzz-input") else { return 0 }
  let now = Date(timeIntervalSince1970: 1_800_000_000)
  for certificate in chain {
    _ = certificate.subject.rfc4514
    _ = certificate.issuer.rfc4514
    _ = certificate.pem
    _ = certificate.isServerAuthUsable
    _ = certificate.isSelfIssued
    _ = certificate.daysRemaining(now: now)
    _ = certificate.covers(hostname: "www.example.com")
    _ = certificate.covers(hostname: "127.0.0.1")
    _ = "\(certificate.publicKey) \(certificate.serialNumber) \(certificate.dnsNames) \(certificate.ipAddresses)"
  }
  _ = CertificateChecker.check(chain: chain, key: nil, domains: ["example.com", "*.example.com"], now: now)
  return 0
}
