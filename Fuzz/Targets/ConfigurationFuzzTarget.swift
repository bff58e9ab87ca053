import CertHookCore

/// libFuzzer entry point over the configuration decoder: `CertHookConfiguration.decode(yaml:source:)`
/// on arbitrary text (invalid UTF-8 is repaired first; the CLI refuses it before decoding).
///
/// Besides crashes it hunts secret leaks: when the input gives `accessKeySecret` a distinctive value
/// (12+ characters with a digit and an upper-case letter, appearing once in the input), no error
/// message may contain that value. A leak traps, so libFuzzer saves the input as a crasher.
@_cdecl("LLVMFuzzerTestOneInput")
public func configurationFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let text = String(decoding: bytes, as: UTF8.self)
  do {
    let (configuration, warnings) = try CertHookConfiguration.decode(yaml: text, source: "fuzz.yaml")
    _ = configuration.permissionWarning(path: "fuzz.yaml", mode: 0o644)
    for warning in warnings { checkNoSecret(warning, input: text) }
    checkNoSecret("\(configuration) \(configuration.credentials)", input: text)
  } catch {
    checkNoSecret("\(error)", input: text)
  }
  return 0
}

/// Traps when `message` contains the distinctive `accessKeySecret` value of `input`.
func checkNoSecret(_ message: String, input: String) {
  for secret in SecretCandidates.values(in: input) where message.contains(secret) {
    fatalError("accessKeySecret value leaked into a message: \(message.count) characters")
  }
}
