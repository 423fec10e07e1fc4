import Testing
@testable import VaultCommands

@Suite struct ProgressMeterTests {
    @Test func percentRateAndEta() {
        var meter = ProgressMeter(totalBytes: 100 << 20, totalFiles: 4, start: 10)
        _ = meter.advance(bytes: 25 << 20, now: 15)
        #expect(meter.percent == 25)
        #expect(meter.rate(now: 15) == Double(5 << 20))
        #expect(meter.eta(now: 15) == 15)
        #expect(meter.line(now: 15) == "25.0% 25MB/100MB 5MB/s 1/4 files ETA 0:00:15")
    }

    @Test func etaUnknownBeforeTimePassesAndZeroWhenDone() {
        var meter = ProgressMeter(totalBytes: 10, totalFiles: 1, start: 0)
        #expect(meter.eta(now: 0) == nil)
        #expect(meter.line(now: 0) == "0.0% 10B/10B 0B/s 0/1 files ETA --:--:--".replacingOccurrences(of: "10B/", with: "0B/"))
        _ = meter.advance(bytes: 10, now: 2)
        #expect(meter.eta(now: 2) == 0)
        #expect(meter.line(now: 2) == "100.0% 10B/10B 5B/s 1/1 files ETA 0:00:00")
    }

    @Test func eachTenPercentStepIsReportedOnceAndTheHighestWhenSeveralAreCrossed() {
        var meter = ProgressMeter(totalBytes: 1000, totalFiles: 100, start: 0)
        var steps: [Int] = []
        for _ in 0..<20 { if let step = meter.advance(bytes: 5, now: 0).step { steps.append(step) } }
        #expect(steps == [10])
        if let step = meter.advance(bytes: 350, now: 0).step { steps.append(step) }
        #expect(steps == [10, 40])
        for _ in 0..<60 { if let step = meter.advance(bytes: 10, now: 0).step { steps.append(step) } }
        #expect(steps == [10, 40, 50, 60, 70, 80, 90, 100])
    }

    @Test func redrawIsThrottledButAlwaysOnCompletion() {
        var meter = ProgressMeter(totalBytes: 30, totalFiles: 3, start: 0)
        #expect(meter.advance(bytes: 10, now: 0.0).redraw)
        #expect(!meter.advance(bytes: 10, now: 0.1).redraw)
        #expect(meter.advance(bytes: 10, now: 0.15).redraw)
    }

    @Test func noBytesCountsFiles() {
        var meter = ProgressMeter(totalBytes: 0, totalFiles: 4, start: 0)
        _ = meter.advance(bytes: 0, now: 1)
        #expect(meter.percent == 25)
        #expect(ProgressMeter(totalBytes: 0, totalFiles: 0, start: 0).percent == 100)
    }

    @Test func durationFormat() {
        #expect(ProgressMeter.duration(0) == "0:00:00")
        #expect(ProgressMeter.duration(59.2) == "0:01:00")
        #expect(ProgressMeter.duration(3725) == "1:02:05")
    }
}
