import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "emulator", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook emulator is not built yet")
  }
}
