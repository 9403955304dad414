import CadangCore
@testable import RcloneSink
import XCTest

/// How the sink reads its `remote` option: what it shows in logs and what it refuses to pass on
/// rclone's command line.
final class RcloneRemoteTests: XCTestCase {
    func testNamesBackendsAndLocalPaths() {
        let named = RcloneRemote("gdrive:Cadang/TokoMaju")
        XCTAssertEqual(named.prefix, "gdrive")
        XCTAssertEqual(named.path, "Cadang/TokoMaju")
        XCTAssertEqual(named.display, "gdrive:Cadang/TokoMaju")
        XCTAssertEqual(named.file("a.tar.gz"), "gdrive:Cadang/TokoMaju/a.tar.gz")
        XCTAssertEqual(RcloneRemote("gdrive:").file("a.tar.gz"), "gdrive:a.tar.gz")
        let local = RcloneRemote("/mnt/nas:2/backup")
        XCTAssertEqual(local.prefix, "")
        XCTAssertEqual(local.display, "/mnt/nas:2/backup")
        XCTAssertEqual(RcloneRemote("relative/folder").display, "relative/folder")
    }

    func testConnectionParametersStayOutOfWhatIsShown() {
        let remote = RcloneRemote(":webdav,url='http://127.0.0.1:8080/dav',vendor=other,user=u:Cadang/Toko")
        XCTAssertEqual(remote.prefix, ":webdav")
        XCTAssertEqual(remote.parameters.map(\.key), ["url", "vendor", "user"])
        XCTAssertEqual(remote.parameters[0].value, "http://127.0.0.1:8080/dav")
        XCTAssertEqual(remote.path, "Cadang/Toko")
        XCTAssertEqual(remote.display, ":webdav:Cadang/Toko")
        XCTAssertEqual(remote.secretParameters, [])
        XCTAssertEqual(RcloneRemote("s3,provider=Minio,endpoint=\"http://h:9000\":bucket/x").display, "s3:bucket/x")
        XCTAssertEqual(RcloneRemote("x,a='it''s':p").parameters.first?.value, "it's")
    }

    func testSecretsInTheRemoteAreFound() {
        XCTAssertEqual(RcloneRemote(":sftp,host=h,pass=abc:x").secretParameters, ["pass"])
        XCTAssertEqual(RcloneRemote(":s3,access_key_id=A,secret_access_key=B:b").secretParameters, ["access_key_id", "secret_access_key"])
        XCTAssertEqual(RcloneRemote(":drive,token='{}',client_secret=s:x").secretParameters, ["token", "client_secret"])
        XCTAssertEqual(RcloneRemote(":webdav,url='https://u:pw@host/dav':x").secretParameters, ["url"])
        XCTAssertEqual(RcloneRemote(":sftp,host=h,key_file=/root/.ssh/id:x").secretParameters, [])
    }

    func testOptionsAreCheckedWithoutRepeatingASecret() {
        let specs = RcloneSink.descriptor.options
        func problems(_ values: [String: OptionValue]) -> [OptionProblem] {
            RcloneSink.check(PluginOptions(values, defaults: specs))
        }
        XCTAssertEqual(problems(["archives": .string("usb"), "remote": .string("gdrive:x")]), [])
        let secret = problems(["archives": .string("usb"), "remote": .string(":ftp,host=h,pass=hunter2:x")])
        XCTAssertEqual(secret.map(\.option), ["remote"])
        XCTAssertFalse(secret.description.contains("hunter2"))
        XCTAssertEqual(problems(["archives": .string("usb"), "remote": .string("gdrive:x"), "timeout": .duration(0)]).map(\.option), ["timeout"])
        XCTAssertEqual(problems(["archives": .string("usb"), "remote": .string("gdrive:x"), "keep_within": .string("bogus")]).map(\.option), ["keep_within"])
    }
}
