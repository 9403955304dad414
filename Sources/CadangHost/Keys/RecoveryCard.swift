/// The recovery card `cadang key generate` prints: what someone needs, years later and without
/// this computer, to open the archives — in Bahasa Indonesia and English. It holds no secret.
struct RecoveryCard {
    var recipient: String
    var created: String
    var keyFile: String

    var text: String {
        """
        ================ CADANG — KARTU PEMULIHAN / RECOVERY CARD ================
        Dibuat / Created:            \(created)
        Kunci publik / Public key:   \(recipient)
        File kunci / Key file:       \(keyFile)
        Kata sandi / Passphrase:     ______________________ (tulis di sini / write here)

        Memulihkan cadangan (Bahasa Indonesia):
          1. Pasang drive cadangan dan drive kunci (atau salinan file kunci).
          2. cadang restore --from-archive ARSIP.tar.zst.age --identity \(keyFile)
             (ARSIP = file terbaru di folder arsip drive cadangan)
          Tanpa Cadang, dengan program 'age':
             age -d -i \(keyFile) -o cadangan.tar.zst ARSIP.tar.zst.age

        To restore (English):
          1. Plug in the backup drive and the key drive (or a copy of the key file).
          2. cadang restore --from-archive ARCHIVE.tar.zst.age --identity \(keyFile)
             (ARCHIVE = the newest file in the backup drive's archive folder)
          Without Cadang, with the 'age' program:
             age -d -i \(keyFile) -o backup.tar.zst ARCHIVE.tar.zst.age

        Simpan kartu ini dan drive kunci terpisah dari komputer toko dan drive cadangan.
        Keep this card and the key drive apart from the shop computer and the backup drive.
        ==========================================================================
        """
    }
}
