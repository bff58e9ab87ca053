import AlibabaCloud
import Foundation

/// Deterministic `ClientToken`s: the same (listener, operation, certificates, starting state) always gives the
/// same token, so a retried write cannot apply twice, while a later, different change gets a new one.
public enum ClientTokens {
  /// A token of at most 64 ASCII characters.
  public static func token(listenerId: String, operation: String, certificateIds: [String], state: [String]) -> String {
    let material = [
      listenerId, operation, certificateIds.sorted().joined(separator: ","), state.sorted().joined(separator: ","),
    ].joined(separator: "|")
    let digest = Hashing.sha256Hex(Array(material.utf8))
    return "certhook-" + String(digest.prefix(48))
  }
}
