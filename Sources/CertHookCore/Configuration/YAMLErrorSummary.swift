import Yams

/// Describes a Yams parse error by position and problem only.
///
/// Yams' own `description` quotes the offending line (and, for duplicate keys, the whole document), which
/// may hold a secret such as `accessKeySecret: "...`: that text must never reach an error message.
enum YAMLErrorSummary {
  /// `line 4, column 20: while scanning a quoted scalar (line 4), found unexpected end of stream`.
  static func describe(_ error: any Error) -> String {
    guard let yaml = error as? YamlError else { return "unreadable YAML" }
    switch yaml {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let during = context.map { "\($0.text) (line \($0.mark.line)), " } ?? ""
      return "line \(mark.line), column \(mark.column): \(during)\(problem)"
    case .reader(let problem, let offset, _, _):
      return problem + (offset.map { " at byte \($0)" } ?? "")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return "line \(context.mark.line): duplicate key(s) " + nameable(duplicates.map { "\($0)" })
    case .dataCouldNotBeDecoded:
      return "not UTF-8 text"
    default:
      return "invalid YAML"
    }
  }

  /// Every configuration key certhook knows: only these are ever quoted back. Any other key text (which may be
  /// a secret pasted in the wrong place) is counted, never shown.
  static let knownKeys: Set<String> = [
    "version", "region", "credentials", "profile", "environment", "accessKeyId", "accessKeySecret", "endpoints",
    "alb", "cas", "rateLimits", "rate_limits", "concurrency", "writesPerSecond", "timeouts", "job", "hook", "request",
    "statePath", "state_path", "state", "quotas", "deployments", "name", "source", "domains", "targets", "mode",
    "replace", "certbotLineage", "acmeShDomain", "home", "cert", "key", "chain", "domainMatch", "listener",
    "listenerId", "loadBalancer", "loadBalancerId", "protocols", "ports", "assumeRole", "roleArn", "sessionName",
    "durationSeconds", "policy", "externalId",
  ]

  /// `a, b` for known keys, plus `and 2 other keys (not shown)` for the rest.
  static func nameable(_ keys: [String]) -> String {
    let known = keys.filter { knownKeys.contains($0) }.sorted()
    let hidden = keys.count - known.count
    var parts = known
    if hidden > 0 { parts.append("\(hidden) \(known.isEmpty ? "" : "other ")key\(hidden == 1 ? "" : "s") (not shown)") }
    return parts.joined(separator: ", ")
  }
}
