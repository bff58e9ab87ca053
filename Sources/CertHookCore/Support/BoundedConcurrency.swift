import Foundation

/// Runs `body` over `items` with at most `limit` running at once; results keep the input order.
func boundedConcurrentMap<T: Sendable, R: Sendable>(
  _ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R
) async -> [R] {
  guard !items.isEmpty else { return [] }
  let width = max(1, min(limit, items.count))
  return await withTaskGroup(of: (Int, R).self) { group in
    var results = [R?](repeating: nil, count: items.count)
    var next = 0
    for _ in 0..<width {
      let index = next
      let item = items[index]
      group.addTask { (index, await body(item)) }
      next += 1
    }
    while let (index, value) = await group.next() {
      results[index] = value
      if next < items.count {
        let i = next
        let item = items[i]
        group.addTask { (i, await body(item)) }
        next += 1
      }
    }
    return results.compactMap { $0 }
  }
}
