import CloudEmulator
import Foundation

/// A world with every product beside the default ALB: one NLB (TCPSSL and TCP listeners), one GA accelerator
/// (an HTTPS listener) and one CLB (an HTTPS listener on 443), with small quotas so tests can fill them.
enum ProductSeeds {
  static let nlb = "nlb-emu01"
  static let nlbListener = "lsn-emu-443"
  static let ga = "ga-emu01"
  static let gaListener = "lsr-ga-443"
  static let clb = "lb-emu01"

  static func mixed(nlbQuota: Int? = 2, gaQuota: Int? = 2, clbQuota: Int? = 1, serverCertificates: Int? = 3)
    -> EmulatorSeed
  {
    var seed = EmulatorSeed.default
    seed.loadBalancers += [
      .init(
        id: nlb, product: .nlb, certificateQuota: nlbQuota,
        listeners: [
          .init(id: nlbListener, protocol: "TCPSSL", port: 443), .init(id: "lsn-emu-80", protocol: "TCP", port: 80),
        ]),
      .init(
        id: ga, product: .ga, certificateQuota: gaQuota,
        listeners: [.init(id: gaListener, protocol: "HTTPS", port: 443)]),
      .init(
        id: clb, product: .clb, certificateQuota: clbQuota, listeners: [.init(id: "", protocol: "HTTPS", port: 443)]),
    ]
    seed.clbServerCertificateQuota = serverCertificates
    return seed
  }
}
