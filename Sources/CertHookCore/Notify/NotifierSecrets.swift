import Foundation

/// Reads each notifier's signing secret from the environment variable or file it names. The configuration never
/// holds a secret; a missing one is a problem `config check` reports (exit 64) and a run skips that notifier.
public enum NotifierSecrets {
  /// Largest secret file read.
  static let maxFileBytes = 64 * 1024

  /// Secrets by notifier name, and one problem per secret that cannot be read (naming the notifier and field);
  /// `readFile` replaces the file reader (tests).
  public static func resolve(
    _ settings: NotifySettings, environment: [String: String], readFile: ((String) throws -> Data)? = nil
  ) -> (secrets: [String: String], problems: [String]) {
    // By default at most 64 KiB + 1 byte is read: a device or huge file is refused by size, never read whole.
    let readFile = readFile ?? { try BoundedRead.prefix($0, limit: maxFileBytes) }
    var secrets: [String: String] = [:]
    var problems: [String] = []
    for (index, notifier) in settings.notifiers.enumerated() {
      let field = "notify notifier \(index + 1) (\(notifier.name))"
      if let name = notifier.secretEnv {
        if let value = environment[name], !value.isEmpty {
          secrets[notifier.name] = value
        } else {
          problems.append("\(field).secretEnv: environment variable \(name) is not set or empty")
        }
      } else if let path = notifier.secretFile {
        do {
          let data = try readFile(path)
          guard data.count <= maxFileBytes, let text = String(data: data, encoding: .utf8) else {
            problems.append("\(field).secretFile: \(path) is not a text file of at most \(maxFileBytes) bytes")
            continue
          }
          let value = text.trimmingCharacters(in: .newlines)
          guard !value.isEmpty else {
            problems.append("\(field).secretFile: \(path) is empty")
            continue
          }
          secrets[notifier.name] = value
        } catch {
          problems.append("\(field).secretFile: \(path) cannot be read")
        }
      }
    }
    return (secrets, problems)
  }
}
