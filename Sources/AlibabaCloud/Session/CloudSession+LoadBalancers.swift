import Foundation

extension CloudSession {
  /// The NLB client on this session's endpoint (`endpoints.nlb`, `CERTHOOK_NLB_ENDPOINT` or the public one),
  /// credentials, rate limiter and region.
  public func nlb() throws -> NLBClient { try NLBClient(rpc: rpc(for: .nlb), region: region) }

  /// The Global Accelerator client on this session's endpoint (`endpoints.ga`, `CERTHOOK_GA_ENDPOINT` or
  /// `ga.cn-hangzhou.aliyuncs.com`), credentials and rate limiter.
  public func ga() throws -> GAClient { try GAClient(rpc: rpc(for: .ga)) }

  /// The CLB (SLB API) client on this session's endpoint (`endpoints.slb`, `CERTHOOK_SLB_ENDPOINT` or the public one),
  /// credentials, rate limiter and region.
  public func slb() throws -> SLBClient { try SLBClient(rpc: rpc(for: .slb), region: region) }
}
