import CertHookCore

/// libFuzzer entry point over the configuration decoder: `CertHookConfiguration.decode(yaml:source:)`
/// on arbitrary text (invalid UTF-8 is repaired first, as the CLI's file reader does).
@_cdecl("LLVMFuzzerTestOneInput")
public func configurationFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let text = String(decoding: bytes, as: UTF8.self)
  if let (configuration, warnings) = try? CertHookConfiguration.decode(yaml: text, source: "fuzz.yaml") {
    _ = configuration.permissionWarning(path: "fuzz.yaml", mode: 0o644)
    _ = warnings.count
  }
  return 0
}
