import Foundation

/// Warns when the credentials file that supplied the secret is readable by group or others, like the
/// configuration file check: `chmod 600` is the fix, the run goes on.
public enum CredentialFileCheck {
  /// The warning for the file behind `provider` (the INI credentials file or the aliyun CLI profile), or nil.
  public static func warning(provider: String, environment: SessionEnvironment, homeDirectory: String) -> String? {
    let path: String
    switch provider {
    case "credentials-file":
      if let custom = environment.credentialsFile {
        path = custom
      } else {
        let plain = (homeDirectory as NSString).appendingPathComponent(".alibabacloud/credentials")
        path = FileManager.default.fileExists(atPath: plain + ".ini") ? plain + ".ini" : plain
      }
    case "aliyun-cli-profile":
      path = (homeDirectory as NSString).appendingPathComponent(".aliyun/config.json")
    default:
      return nil
    }
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let permissions = attributes[.posixPermissions] as? NSNumber
    else { return nil }
    let mode = permissions.intValue & 0o777
    guard mode & 0o077 != 0 else { return nil }
    return "\(path) holds credentials but is readable by group or others (mode \(String(mode, radix: 8))); "
      + "run: chmod 600 \(path)"
  }
}
