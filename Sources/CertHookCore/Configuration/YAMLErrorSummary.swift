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
      return "line \(context.mark.line): duplicate key(s) " + duplicates.sorted().joined(separator: ", ")
    case .dataCouldNotBeDecoded:
      return "not UTF-8 text"
    default:
      return "invalid YAML"
    }
  }
}
