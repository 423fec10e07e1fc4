import Glibc
import Synchronization

/// User and group names for uids and gids, looked up once each with `getpwuid_r(3)`/`getgrgid_r(3)` and cached for
/// the process: a listing of thousands of files by one owner costs one NSS lookup, not thousands.
final class PosixOwnerNames: Sendable {
    static let shared = PosixOwnerNames()

    private let users = Mutex<[uid_t: String?]>([:])
    private let groups = Mutex<[gid_t: String?]>([:])

    /// The name of `uid`, or nil when no passwd entry has it.
    func user(_ uid: uid_t) -> String? {
        if let cached = users.withLock({ $0[uid] }) { return cached }
        let name = Self.lookup { pwd, buffer, size, result in
            var entry = passwd()
            let rc = getpwuid_r(uid, &entry, buffer, size, result)
            pwd = rc == 0 && result.pointee != nil ? String(cString: entry.pw_name) : nil
            return rc
        }
        users.withLock { $0[uid] = .some(name) }
        return name
    }

    /// The name of `gid`, or nil when no group entry has it.
    func group(_ gid: gid_t) -> String? {
        if let cached = groups.withLock({ $0[gid] }) { return cached }
        let name = Self.lookup { grp, buffer, size, result in
            var entry = Glibc.group()
            let rc = getgrgid_r(gid, &entry, buffer, size, result)
            grp = rc == 0 && result.pointee != nil ? String(cString: entry.gr_name) : nil
            return rc
        }
        groups.withLock { $0[gid] = .some(name) }
        return name
    }

    /// Calls a `get*_r` function with a scratch buffer, doubling it while the call answers ERANGE.
    private static func lookup<Entry>(
        _ call: (inout String?, UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>)
            -> Int32
    ) -> String? {
        var size = 1024
        while size <= 1 << 20 {
            var name: String?
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            var result: UnsafeMutablePointer<Entry>?
            let rc = call(&name, buffer, size, &result)
            if rc == ERANGE {
                size *= 2
                continue
            }
            return name
        }
        return nil
    }
}
