import ArgumentParser

/// `--metrics-file PATH` of `sync`, `deploy-hook` and `audit`: a node-exporter textfile rewritten atomically after
/// each run (docs/metrics.md).
struct MetricsOptions: ParsableArguments {
  @Option(
    name: .customLong("metrics-file"),
    help: ArgumentHelp(
      "Write run metrics to this node-exporter textfile (atomically; e.g. /var/lib/prometheus/node-exporter/certhook.prom).",
      valueName: "path"))
  var metricsFile: String?

  func validate() throws {
    if let metricsFile, metricsFile.isEmpty { throw ValidationError("--metrics-file must not be empty") }
    if let metricsFile, metricsFile.hasSuffix("/") { throw ValidationError("--metrics-file must name a file, not a directory") }
  }
}
