import AlibabaCloud
import CloudEmulator
import Foundation

/// A world with an NLB, a GA accelerator and a CLB beside the default ALB, and the product clients on the harness's
/// clock, limiter and transport (issue 13).
public enum LoadBalancerWorld {
  public static let nlb = "nlb-client01"
  public static let nlbListener = "lsn-client-443"
  public static let ga = "ga-client01"
  public static let gaListener = "lsr-ga-client-443"
  public static let clb = "lb-client01"

  /// `extraNLBListeners` more TCPSSL listeners on a second NLB (`nlb-client02`, `lsn-many-N`), for paging.
  public static func seed(
    nlbQuota: Int? = 40, gaQuota: Int? = 10, clbQuota: Int? = 3, serverCertificates: Int? = nil,
    extraNLBListeners: Int = 0
  ) -> EmulatorSeed {
    var seed = EmulatorSeed.default
    seed.loadBalancers += [
      .init(
        id: nlb, product: .nlb, certificateQuota: nlbQuota,
        listeners: [
          .init(id: nlbListener, protocol: "TCPSSL", port: 443), .init(id: "lsn-client-80", protocol: "TCP", port: 80),
        ]),
      .init(
        id: ga, product: .ga, certificateQuota: gaQuota,
        listeners: [
          .init(id: gaListener, protocol: "HTTPS", port: 443),
          .init(id: "lsr-ga-client-80", protocol: "HTTP", port: 80),
        ]),
      .init(
        id: clb, product: .clb, certificateQuota: clbQuota,
        listeners: [.init(id: "", protocol: "HTTPS", port: 443), .init(id: "", protocol: "HTTP", port: 80)]),
    ]
    if extraNLBListeners > 0 {
      seed.loadBalancers.append(
        .init(
          id: "nlb-client02", product: .nlb,
          listeners: (1...extraNLBListeners).map { .init(id: "lsn-many-\($0)", protocol: "TCPSSL", port: 1000 + $0) }))
    }
    seed.clbServerCertificateQuota = serverCertificates
    return seed
  }
}
