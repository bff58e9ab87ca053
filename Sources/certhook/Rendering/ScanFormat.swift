import ArgumentParser

/// Output formats of `certhook scan`.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, prometheus
}
