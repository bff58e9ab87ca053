import Foundation

extension CloudProduct {
  /// Network Load Balancer 2022-04-30: `nlb.<region>.aliyuncs.com` (more-products spec section 0).
  public static let nlb = CloudProduct(name: "nlb", version: ApiAction.Product.nlb.version) { "nlb.\($0).aliyuncs.com" }
  /// Global Accelerator 2019-11-20: one endpoint, `ga.cn-hangzhou.aliyuncs.com`, whatever the listener's region.
  public static let ga = CloudProduct(name: "ga", version: ApiAction.Product.ga.version) { _ in
    "ga.cn-hangzhou.aliyuncs.com"
  }
  /// Classic Load Balancer (SLB 2014-05-15): `slb.aliyuncs.com` for the regions the SDK maps there, else
  /// `slb.<region>.aliyuncs.com`.
  public static let slb = CloudProduct(name: "slb", version: ApiAction.Product.slb.version) {
    CloudProduct.slbCentralRegions.contains($0) ? "slb.aliyuncs.com" : "slb.\($0).aliyuncs.com"
  }

  /// The public regions `alibabacloud-slb20140515` 3.3.31's endpoint map sends to `slb.aliyuncs.com` (its internal
  /// and test regions left out).
  static let slbCentralRegions: Set<String> = [
    "cn-qingdao", "cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "cn-hongkong", "ap-southeast-1",
    "us-east-1", "us-west-1", "cn-shanghai-finance-1", "cn-shenzhen-finance-1", "cn-north-2-gov-1", "cn-beijing-gov-1",
    "cn-hangzhou-finance", "cn-fujian", "cn-wuhan", "cn-zhangbei", "cn-edge-1", "cn-yushanfang",
  ]
}
