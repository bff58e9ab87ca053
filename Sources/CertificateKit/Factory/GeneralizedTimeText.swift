import Foundation

/// Formats dates as ASN.1 GeneralizedTime text (`YYYYMMDDHHMMSSZ`, UTC, whole seconds).
enum GeneralizedTimeText {
  static func format(_ date: Date) -> String {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let civil = CivilCalendar.civilFromDays(days)
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return pad(civil.year, 4) + pad(civil.month, 2) + pad(civil.day, 2) + pad(secondOfDay / 3600, 2)
      + pad(secondOfDay % 3600 / 60, 2) + pad(secondOfDay % 60, 2) + "Z"
  }
}
