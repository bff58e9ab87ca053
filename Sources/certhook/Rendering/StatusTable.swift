/// A plain-text table whose first column is a status word: columns padded to their widest cell, two
/// spaces apart, the last column unpadded, the status cell painted by `paint` (header left plain).
enum StatusTable {
  /// The header line then one line per row, each ending in a newline.
  static func render(header: [String], rows: [[String]], paint: (_ padded: String, _ status: String) -> String) -> String {
    var widths = header.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func format(_ row: [String], painted: Bool) -> String {
      var cells: [String] = []
      for (i, cell) in row.enumerated() {
        let width = i < widths.count ? widths[i] : cell.count
        let padded = i == row.count - 1 ? cell : cell + String(repeating: " ", count: width - cell.count)
        cells.append(i == 0 && painted ? paint(padded, cell) : padded)
      }
      return cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
    }
    return rows.reduce(format(header, painted: false)) { $0 + format($1, painted: true) }
  }
}
