import Foundation

/// Runs a shell command under a pseudo-terminal (`script`), so the binary sees a terminal on stdout and colours.
enum TerminalRunner {
  /// True when `script` is installed (otherwise the terminal checks are skipped).
  static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

  /// The terminal's output of `command` with `environment` added to a minimal one (`TERM=xterm`).
  static func run(_ command: String, environment: [String: String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", command, "/dev/null"]
    process.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm"].merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
