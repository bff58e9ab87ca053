import Foundation

/// Token paging (`NextToken`/`MaxResults`) as ALB does it; the token is an opaque offset.
struct TokenPage: Sendable {
  var offset: Int
  var maxResults: Int

  init(_ params: Parameters, defaultMax: Int = 20) throws(ApiError) {
    maxResults = try params.int("MaxResults", default: defaultMax, range: 1...100)
    if let token = params.string("NextToken") {
      guard token.hasPrefix("emu"), let offset = Int(token.dropFirst(3)), offset >= 0 else {
        throw ApiError(400, "IllegalParam.NextToken", "The param NextToken is illegal.")
      }
      self.offset = offset
    } else {
      offset = 0
    }
  }

  /// The slice of `items` for this page and the next token ("" on the last page).
  func slice<T>(_ items: [T]) -> (items: [T], nextToken: String) {
    let start = min(offset, items.count)
    let end = min(start + maxResults, items.count)
    return (Array(items[start..<end]), end < items.count ? "emu\(end)" : "")
  }
}
