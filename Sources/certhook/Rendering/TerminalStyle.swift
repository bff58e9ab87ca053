/// Whether and how to colour human output: only on a terminal, never with `NO_COLOR` set or `TERM=dumb`.
struct TerminalStyle {
  /// True when ANSI colours are written.
  let colours: Bool

  /// Decides from whether the output is a terminal and the process environment.
  init(isTerminal: Bool, environment: [String: String]) {
    let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    colours = isTerminal && !noColor && environment["TERM"] != "dumb"
  }

  /// Colours in the ANSI palette that the renderers use.
  enum Colour: String {
    case red = "31"
    case yellow = "33"
    case green = "32"
    case magenta = "35"
    case bold = "1"
  }

  /// `text` wrapped in the colour's escape codes, or unchanged without colours.
  func paint(_ text: String, _ colour: Colour) -> String {
    colours ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
  }
}
