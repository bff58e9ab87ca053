import ArgumentParser

/// Options of every lifecycle command: the configuration file and the state cache.
struct LifecycleOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "Configuration file (default: CERTHOOK_CONFIG, else /etc/certhook/config.yaml).")
  var config: String?

  @Option(
    name: .long,
    help: "State cache file (default: the configuration's statePath, else /var/lib/certhook/state.json when writable, else ~/.local/state/certhook/state.json).")
  var state: String?

  @Flag(name: .long, help: "Ignore the state cache for this run: every fact is read from the cloud (and cached again).")
  var refresh = false

  func validate() throws {
    if let config, config.isEmpty { throw ValidationError("--config must not be empty") }
    if let state, state.isEmpty { throw ValidationError("--state must not be empty") }
  }
}
