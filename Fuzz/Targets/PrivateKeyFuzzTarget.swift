import CertificateKit

/// libFuzzer entry point over private key loading: `PrivateKey(pem:source:)` (PKCS#8, PKCS#1, SEC1, DER,
/// encrypted blocks, mixed files). A key that loads is also re-encoded and described.
@_cdecl("LLVMFuzzerTestOneInput")
public func privateKeyFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  guard let key = try? PrivateKey(pem: bytes, source: "fuzz-input") else { return 0 }
  _ = key.description
  _ = try? key.pkcs8PEM()
  return 0
}
