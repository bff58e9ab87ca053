/// Which deployments may run at the same time: two that share a listener never do, and of those the one listed
/// first in the configuration runs first; deployments on disjoint listeners all run in the first wave.
enum DeploymentWaves {
  /// Indices of `listenerSets` grouped into waves, in order; within a wave, no two share a listener.
  static func waves(_ listenerSets: [Set<String>]) -> [[Int]] {
    var lastWave: [String: Int] = [:]
    var result: [[Int]] = []
    for (index, listeners) in listenerSets.enumerated() {
      let wave = listeners.map { (lastWave[$0] ?? -1) + 1 }.max() ?? 0
      for listener in listeners { lastWave[listener] = wave }
      while result.count <= wave { result.append([]) }
      result[wave].append(index)
    }
    return result
  }
}
