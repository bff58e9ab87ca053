import Foundation
import Yams

/// Decodes a YAML document into the versioned `Codable` model with Yams' `YAMLDecoder`: each model type's
/// `init(from:)` reads its keys through `ConfigurationFields`, so errors name the key path
/// (`deployments[1].targets[0].listener`), unknown keys become warnings, and no message quotes a secret's value.
enum ConfigurationDecoder {
  /// What one decode shares between the model types: the source name, the composed tree (for key lines and merge
  /// keys) and the warnings so far.
  final class Context {
    let source: String
    let root: Node
    var warnings: [String] = []

    init(source: String, root: Node) {
      self.source = source
      self.root = root
    }

    /// Adds `message`, prefixed with the source.
    func warn(_ message: String) {
      warnings.append("\(source): \(message)")
    }

    /// The node at `codingPath` (merge keys followed as the decoder follows them), nil when there is none.
    func node(at codingPath: [any CodingKey]) throws -> Node? {
      var node = root
      for key in codingPath {
        if let index = key.intValue {
          guard let sequence = node.sequence, sequence.indices.contains(index) else { return nil }
          node = sequence[index]
        } else {
          guard let mapping = node.mapping,
            let value = try ConfigurationDecoder.pairs(mapping, path: "", depth: 0).last(where: {
              $0.key.scalar?.string == key.stringValue
            })?.value
          else { return nil }
          node = value
        }
      }
      return node
    }
  }

  /// The key under which `YAMLDecoder` carries the `Context`.
  static let contextKey = CodingUserInfoKey(rawValue: "certhook.configuration")

  /// Decodes `yaml` (read from `source`, named in messages).
  static func decode(yaml: String, source: String) throws -> (CertHookConfiguration, warnings: [String]) {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      // Never "\(error)": Yams quotes the offending line there, and that line may hold the secret.
      throw CertHookError.configuration(path: "", message: "\(source) is not valid YAML: \(YAMLErrorSummary.describe(error))")
    }
    guard let root, root.mapping != nil else {
      throw CertHookError.configuration(
        path: "", message: "\(source) must be a mapping with `version` and `deployments`")
    }
    let context = Context(source: source, root: root)
    var userInfo: [CodingUserInfoKey: Any] = [:]
    if let contextKey { userInfo[contextKey] = context }
    do {
      let configuration = try YAMLDecoder().decode(CertHookConfiguration.self, from: root, userInfo: userInfo)
      return (configuration, context.warnings)
    } catch let error as CertHookError {
      throw error
    } catch let error as DecodingError {
      // The model types throw `CertHookError`; Yams' own errors only name the path (they may quote values).
      throw CertHookError.configuration(path: path(of: error), message: "cannot be read as written")
    } catch {
      throw CertHookError.configuration(path: "", message: "\(source) cannot be read: \(YAMLErrorSummary.describe(error))")
    }
  }

  /// `deployments[1].targets[0]` for a coding path (`rate_limits` is reported as `rateLimits`).
  static func path(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        let name = text.isEmpty && key.stringValue == "rate_limits" ? "rateLimits" : key.stringValue
        text += text.isEmpty ? name : ".\(name)"
      }
    }
    return text
  }

  private static func path(of error: DecodingError) -> String {
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
      .dataCorrupted(let context):
      return path(context.codingPath)
    @unknown default:
      return ""
    }
  }

  /// The pairs of `mapping` as the decoder sees them: merged mappings (`<<: *anchor`, `<<: [*a, *b]`) first, then
  /// the explicit keys (the last match wins, so explicit keys beat merged ones and earlier merges later ones).
  /// Errors name `path`: keys that are not plain strings, a merge of something that is not a mapping, merges
  /// nested more than 8 deep.
  static func pairs(_ mapping: Node.Mapping, path: String, depth: Int) throws -> [(key: Node, value: Node)] {
    guard depth < 8 else {
      throw CertHookError.configuration(path: path, message: "merge keys (<<) nested too deeply")
    }
    var explicit: [(key: Node, value: Node)] = []
    var merged: [(key: Node, value: Node)] = []
    for (key, value) in mapping {
      guard let name = key.scalar?.string else {
        throw CertHookError.configuration(path: path, message: "keys must be plain strings\(line(key))")
      }
      guard name == "<<" else {
        explicit.append((key, value))
        continue
      }
      for source in (value.sequence.map { Array($0) } ?? [value]).reversed() {
        guard let inner = source.mapping else {
          throw CertHookError.configuration(path: path, message: "`<<` must merge a mapping\(line(source))")
        }
        merged += try pairs(inner, path: path, depth: depth + 1)
      }
    }
    return merged + explicit
  }

  /// ` (line 7)` for a node with a position, else nothing.
  static func line(_ node: Node) -> String {
    node.mark.map { " (line \($0.line))" } ?? ""
  }

  /// Each item of the list `decoder` holds, decoded by `decode`, refusing a name given twice (the error names
  /// `path[i].name`); `notList` is the message for anything that is not a list.
  static func uniquelyNamed<T>(
    _ decoder: any Decoder, path: String, notList: String, name: (T) -> String, duplicate: (String) -> String,
    _ decode: (any Decoder) throws -> T
  ) throws -> [T] {
    guard var list = try? decoder.unkeyedContainer() else {
      throw CertHookError.configuration(path: path, message: notList)
    }
    var names = Set<String>()
    var result: [T] = []
    while !list.isAtEnd {
      let index = list.currentIndex
      let decoded = try decode(try list.superDecoder())
      guard names.insert(name(decoded)).inserted else {
        throw CertHookError.configuration(path: "\(path)[\(index)].name", message: duplicate(name(decoded)))
      }
      result.append(decoded)
    }
    return result
  }

  /// A string that must be one of `names` (quoted back at most 40 characters of what was given).
  static func oneOf<T>(_ text: String, path: String, _ names: [String], as make: (String) -> T?) throws -> T {
    guard let value = make(text) else {
      throw CertHookError.configuration(
        path: path, message: "\"\(text.prefix(40))\" is not one of \(names.joined(separator: ", "))")
    }
    return value
  }
}
