<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="id">
<context>
    <name>AddressScreen</name>
    <message>
        <source>Pilih %1 dulu.</source>
        <translation>Pilih %1 dulu.</translation>
    </message>
    <message>
        <source>Tidak ada nama yang cocok. Coba ketik lebih sedikit.</source>
        <translation>Tidak ada nama yang cocok. Coba ketik lebih sedikit.</translation>
    </message>
    <message>
        <source>provinsi</source>
        <translation>provinsi</translation>
    </message>
    <message>
        <source>kabupaten/kota</source>
        <translation>kabupaten/kota</translation>
    </message>
    <message>
        <source>kecamatan</source>
        <translation>kecamatan</translation>
    </message>
    <message>
        <source>kelurahan/desa</source>
        <translation>kelurahan/desa</translation>
    </message>
    <message>
        <source>Alamat sesuai KTP</source>
        <translation>Alamat sesuai KTP</translation>
    </message>
    <message>
        <source>Jalan, nomor rumah, dusun</source>
        <translation>Jalan, nomor rumah, dusun</translation>
    </message>
    <message>
        <source>RT</source>
        <translation>RT</translation>
    </message>
    <message>
        <source>RW</source>
        <translation>RW</translation>
    </message>
    <message>
        <source>Provinsi</source>
        <translation>Provinsi</translation>
    </message>
    <message>
        <source>Kabupaten/Kota</source>
        <translation>Kabupaten/Kota</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Kelurahan/Desa</source>
        <translation>Kelurahan/Desa</translation>
    </message>
    <message>
        <source>Pilih %1…</source>
        <translation>Pilih %1…</translation>
    </message>
    <message>
        <source>Pilih %1</source>
        <translation>Pilih %1</translation>
    </message>
    <message>
        <source>Tulis jalan dan nomor rumah, lalu RT dan RW.</source>
        <translation>Tulis jalan dan nomor rumah, lalu RT dan RW.</translation>
    </message>
    <message>
        <source>Pilih wilayah dari atas ke bawah: provinsi dulu.</source>
        <translation>Pilih wilayah dari atas ke bawah: provinsi dulu.</translation>
    </message>
    <message>
        <source>Cari: ketik awal nama</source>
        <translation>Cari: ketik awal nama</translation>
    </message>
    <message>
        <source>◀ Kembali ke alamat</source>
        <translation>◀ Kembali ke alamat</translation>
    </message>
</context>
<context>
    <name>AttentionPage</name>
    <message>
        <source>Ditolak server</source>
        <translation>Ditolak server</translation>
    </message>
    <message>
        <source>Dikarantina</source>
        <translation>Dikarantina</translation>
    </message>
    <message>
        <source>Perlu perhatian</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Nomor referensi</translation>
    </message>
    <message>
        <source>Keadaan</source>
        <translation>Keadaan</translation>
    </message>
    <message>
        <source>Alasan</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>Sejak</source>
        <translation>Sejak</translation>
    </message>
    <message>
        <source>Tidak ada pendaftaran yang perlu diperiksa.</source>
        <translation>Tidak ada pendaftaran yang perlu diperiksa.</translation>
    </message>
    <message>
        <source>Kirim ulang</source>
        <translation>Kirim ulang</translation>
    </message>
    <message>
        <source>Ekspor ke berkas…</source>
        <translation>Ekspor ke berkas…</translation>
    </message>
</context>
<context>
    <name>CameraSource</name>
    <message>
        <source>Izin kamera ditolak. Minta petugas mengizinkan kamera.</source>
        <extracomment>``camera.device`` from the settings (issue 19): the camera a source without an explicit id uses; ``&quot;auto&quot;`` (or empty) = the system default. Set once by the wizard from the configuration.</extracomment>
        <translation>Izin kamera ditolak. Minta petugas mengizinkan kamera.</translation>
    </message>
    <message>
        <source>Kamera belum siap. Silakan panggil petugas.</source>
        <translation>Kamera belum siap. Silakan panggil petugas.</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <source>Ambil foto</source>
        <translation>Ambil foto</translation>
    </message>
    <message>
        <source>Ulangi foto</source>
        <translation>Ulangi foto</translation>
    </message>
    <message>
        <source>Foto gagal diambil. Coba lagi.</source>
        <translation>Foto gagal diambil. Coba lagi.</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Batalkan pendaftaran?</source>
        <translation>Batalkan pendaftaran?</translation>
    </message>
    <message>
        <source>Semua data yang sudah Anda isi akan dihapus. Pilih Tidak untuk melanjutkan pendaftaran.</source>
        <translation>Semua data yang sudah Anda isi akan dihapus. Pilih Tidak untuk melanjutkan pendaftaran.</translation>
    </message>
    <message>
        <source>Ya, hapus data</source>
        <translation>Ya, hapus data</translation>
    </message>
    <message>
        <source>Tidak, lanjutkan</source>
        <translation>Tidak, lanjutkan</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <source>Pengiriman dimulai.</source>
        <translation>Pengiriman dimulai.</translation>
    </message>
    <message numerus="yes">
        <source>%n dikirim ulang.</source>
        <translation>
            <numerusform>%n dikirim ulang.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n diekspor ke berkas.</source>
        <translation>
            <numerusform>%n diekspor ke berkas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Simpan berkas ekspor</source>
        <translation>Simpan berkas ekspor</translation>
    </message>
    <message>
        <source>Pilih berkas ekspor</source>
        <translation>Pilih berkas ekspor</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran diekspor ke %1.</source>
        <translation>
            <numerusform>%n pendaftaran diekspor ke %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Diimpor: %1. Sudah ada: %2. Bentrok (tidak diimpor): %3.</source>
        <translation>Diimpor: %1. Sudah ada: %2. Bentrok (tidak diimpor): %3.</translation>
    </message>
    <message>
        <source>Tersimpan. Berlaku setelah kiosk dimulai ulang.</source>
        <translation>Tersimpan. Berlaku setelah kiosk dimulai ulang.</translation>
    </message>
    <message numerus="yes">
        <source>%n catatan lama dihapus.</source>
        <translation>
            <numerusform>%n catatan lama dihapus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Data perangkat dihapus. Tutup aplikasi; daftarkan ulang perangkat sebelum dipakai lagi.</source>
        <translation>Data perangkat dihapus. Tutup aplikasi; daftarkan ulang perangkat sebelum dipakai lagi.</translation>
    </message>
</context>
<context>
    <name>ConsoleScreen</name>
    <message>
        <source>Konsol petugas</source>
        <translation>Konsol petugas</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operator</translation>
    </message>
    <message>
        <source>daring</source>
        <translation>daring</translation>
    </message>
    <message>
        <source>luring</source>
        <translation>luring</translation>
    </message>
    <message>
        <source>Konsol petugas — %1 (%2, %3)</source>
        <translation>Konsol petugas — %1 (%2, %3)</translation>
    </message>
    <message>
        <source>Kembali ke kiosk</source>
        <translation>Kembali ke kiosk</translation>
    </message>
    <message>
        <source>Keluar layar penuh</source>
        <translation>Keluar layar penuh</translation>
    </message>
    <message>
        <source>Tutup aplikasi</source>
        <translation>Tutup aplikasi</translation>
    </message>
    <message>
        <source>Ringkasan</source>
        <translation>Ringkasan</translation>
    </message>
    <message>
        <source>Perlu perhatian</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <source>Cek status</source>
        <translation>Cek status</translation>
    </message>
    <message>
        <source>Kerja lapangan</source>
        <translation>Kerja lapangan</translation>
    </message>
    <message>
        <source>Pengaturan</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Perawatan</source>
        <translation>Perawatan</translation>
    </message>
</context>
<context>
    <name>ContactScreen</name>
    <message>
        <source>Bagaimana kami menghubungi Anda?</source>
        <translation>Bagaimana kami menghubungi Anda?</translation>
    </message>
    <message>
        <source>Pilih ke mana kode verifikasi dikirim.</source>
        <translation>Pilih ke mana kode verifikasi dikirim.</translation>
    </message>
    <message>
        <source>Alamat e-mail Anda</source>
        <translation>Alamat e-mail Anda</translation>
    </message>
    <message>
        <source>Kode verifikasi dikirim ke e-mail ini.</source>
        <translation>Kode verifikasi dikirim ke e-mail ini.</translation>
    </message>
    <message>
        <source>Nomor HP Anda</source>
        <translation>Nomor HP Anda</translation>
    </message>
    <message>
        <source>Kode verifikasi dikirim lewat SMS ke nomor ini.</source>
        <translation>Kode verifikasi dikirim lewat SMS ke nomor ini.</translation>
    </message>
    <message>
        <source>Kirim kode verifikasi lewat</source>
        <translation>Kirim kode verifikasi lewat</translation>
    </message>
    <message>
        <source>SMS ke HP</source>
        <translation>SMS ke HP</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Nomor HP (contoh: 0812 3456 7890)</source>
        <translation>Nomor HP (contoh: 0812 3456 7890)</translation>
    </message>
    <message>
        <source>E-mail (contoh: nama@gmail.com)</source>
        <translation>E-mail (contoh: nama@gmail.com)</translation>
    </message>
    <message>
        <source>Kiosk tidak terhubung. Kode verifikasi dikirim setelah data Anda terkirim.</source>
        <translation>Kiosk tidak terhubung. Kode verifikasi dikirim setelah data Anda terkirim.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Ringkasan antrean</source>
        <translation>Ringkasan antrean</translation>
    </message>
    <message>
        <source>Kirim sekarang</source>
        <translation>Kirim sekarang</translation>
    </message>
</context>
<context>
    <name>DeclarationScreen</name>
    <message>
        <source>Pernyataan Pendaftar</source>
        <translation>Pernyataan Pendaftar</translation>
    </message>
    <message>
        <source>Jawab setiap pertanyaan dengan jujur.</source>
        <translation>Jawab setiap pertanyaan dengan jujur.</translation>
    </message>
    <message>
        <source>Ya</source>
        <translation>Ya</translation>
    </message>
    <message>
        <source>Tidak</source>
        <translation>Tidak</translation>
    </message>
    <message>
        <source>Data yang tidak benar dapat membuat pendaftaran Anda dibatalkan.</source>
        <translation>Data yang tidak benar dapat membuat pendaftaran Anda dibatalkan.</translation>
    </message>
</context>
<context>
    <name>FieldWorkPage</name>
    <message>
        <source>Sedang bekerja…</source>
        <translation>Sedang bekerja…</translation>
    </message>
    <message>
        <source>Kerja lapangan (USB)</source>
        <translation>Kerja lapangan (USB)</translation>
    </message>
    <message>
        <source>Ekspor menyalin pendaftaran yang menunggu (terkunci/terenkripsi) ke berkas, misalnya di USB. Impor berkas itu di kiosk yang terhubung ke internet; yang sudah ada tidak dikirim dua kali.</source>
        <translation>Ekspor menyalin pendaftaran yang menunggu (terkunci/terenkripsi) ke berkas, misalnya di USB. Impor berkas itu di kiosk yang terhubung ke internet; yang sudah ada tidak dikirim dua kali.</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran menunggu dikirim.</source>
        <translation>
            <numerusform>%n pendaftaran menunggu dikirim.</numerusform>
        </translation>
    </message>
    <message>
        <source>Ekspor ke USB…</source>
        <translation>Ekspor ke USB…</translation>
    </message>
    <message>
        <source>Impor dari berkas…</source>
        <translation>Impor dari berkas…</translation>
    </message>
</context>
<context>
    <name>IdentityScreen</name>
    <message>
        <source>Data KTP</source>
        <translation>Data KTP</translation>
    </message>
    <message>
        <source>Salin persis seperti yang tertulis di KTP Anda.</source>
        <translation>Salin persis seperti yang tertulis di KTP Anda.</translation>
    </message>
    <message>
        <source>NIK (16 angka di KTP)</source>
        <translation>NIK (16 angka di KTP)</translation>
    </message>
    <message>
        <source>Tempat lahir</source>
        <translation>Tempat lahir</translation>
    </message>
    <message>
        <source>Tanggal lahir (contoh 17-08-1990)</source>
        <translation>Tanggal lahir (contoh 17-08-1990)</translation>
    </message>
</context>
<context>
    <name>IdleWarningDialog</name>
    <message>
        <source>Masih di sini?</source>
        <translation>Masih di sini?</translation>
    </message>
    <message>
        <source>Tes akan diakhiri dalam %1 detik. Jawaban Anda tetap tersimpan. Sentuh tombol di bawah.</source>
        <translation>Tes akan diakhiri dalam %1 detik. Jawaban Anda tetap tersimpan. Sentuh tombol di bawah.</translation>
    </message>
    <message>
        <source>Data Anda akan dihapus dalam %1 detik. Sentuh tombol di bawah untuk lanjut.</source>
        <translation>Data Anda akan dihapus dalam %1 detik. Sentuh tombol di bawah untuk lanjut.</translation>
    </message>
    <message>
        <source>Saya masih di sini</source>
        <translation>Saya masih di sini</translation>
    </message>
</context>
<context>
    <name>ImageSequenceSource</name>
    <message>
        <source>Tidak ada gambar untuk ditampilkan.</source>
        <translation>Tidak ada gambar untuk ditampilkan.</translation>
    </message>
</context>
<context>
    <name>KioskShell</name>
    <message>
        <source>Menyiapkan kiosk…</source>
        <translation>Menyiapkan kiosk…</translation>
    </message>
    <message>
        <source>Menyiapkan server demo…</source>
        <translation>Menyiapkan server demo…</translation>
    </message>
    <message>
        <source>Demo: server %1</source>
        <translation>Demo: server %1</translation>
    </message>
    <message>
        <source>Kiosk terkunci: menunggu petugas.</source>
        <translation>Kiosk terkunci: menunggu petugas.</translation>
    </message>
    <message>
        <source>Server demo gagal: %1</source>
        <translation>Server demo gagal: %1</translation>
    </message>
    <message>
        <source>Kiosk belum siap: %1</source>
        <translation>Kiosk belum siap: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Isi nama pengguna dan PIN.</source>
        <translation>Isi nama pengguna dan PIN.</translation>
    </message>
    <message>
        <source>Memeriksa…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <source>Masuk petugas</source>
        <translation>Masuk petugas</translation>
    </message>
    <message>
        <source>Nama pengguna</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Masuk</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Pendaftaran Kartu Prakerja</source>
        <translation>Pendaftaran Kartu Prakerja</translation>
    </message>
</context>
<context>
    <name>MaintenancePage</name>
    <message>
        <source>Perawatan</source>
        <translation>Perawatan</translation>
    </message>
    <message>
        <source>Catatan pendaftaran yang sudah terkirim (tanpa isi) disimpan %1 hari, lalu dihapus.</source>
        <translation>Catatan pendaftaran yang sudah terkirim (tanpa isi) disimpan %1 hari, lalu dihapus.</translation>
    </message>
    <message>
        <source>Hapus catatan lama</source>
        <translation>Hapus catatan lama</translation>
    </message>
    <message>
        <source>Periksa log audit</source>
        <translation>Periksa log audit</translation>
    </message>
    <message>
        <source>Hapus data perangkat</source>
        <translation>Hapus data perangkat</translation>
    </message>
    <message>
        <source>Menghapus kunci perangkat, antrean dan data tersimpan. Tidak bisa dibatalkan.</source>
        <translation>Menghapus kunci perangkat, antrean dan data tersimpan. Tidak bisa dibatalkan.</translation>
    </message>
    <message>
        <source>Hanya supervisor yang dapat menghapus data perangkat.</source>
        <translation>Hanya supervisor yang dapat menghapus data perangkat.</translation>
    </message>
    <message>
        <source>Hapus data perangkat…</source>
        <translation>Hapus data perangkat…</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <source>⌫ Hapus</source>
        <translation>⌫ Hapus</translation>
    </message>
    <message>
        <source>Hapus satu angka</source>
        <translation>Hapus satu angka</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>OtpScreen</name>
    <message>
        <source>Masukkan kode verifikasi</source>
        <translation>Masukkan kode verifikasi</translation>
    </message>
    <message>
        <source>Kode 6 angka sudah dikirim ke %1. Ketik dengan tombol angka.</source>
        <translation>Kode 6 angka sudah dikirim ke %1. Ketik dengan tombol angka.</translation>
    </message>
    <message>
        <source>Kode berisi 6 angka. Ketik dengan tombol angka.</source>
        <translation>Kode berisi 6 angka. Ketik dengan tombol angka.</translation>
    </message>
    <message>
        <source>Sedang mengirim kode…</source>
        <translation>Sedang mengirim kode…</translation>
    </message>
    <message>
        <source>Kode verifikasi</source>
        <translation>Kode verifikasi</translation>
    </message>
    <message>
        <source>Kirim ulang (%1 detik)</source>
        <translation>Kirim ulang (%1 detik)</translation>
    </message>
    <message>
        <source>Kirim ulang kode</source>
        <translation>Kirim ulang kode</translation>
    </message>
    <message>
        <source>Verifikasi nanti</source>
        <translation>Verifikasi nanti</translation>
    </message>
</context>
<context>
    <name>PersonalScreen</name>
    <message>
        <source>Data diri</source>
        <translation>Data diri</translation>
    </message>
    <message>
        <source>Tulis nama persis seperti di KTP.</source>
        <translation>Tulis nama persis seperti di KTP.</translation>
    </message>
    <message>
        <source>Nama lengkap</source>
        <translation>Nama lengkap</translation>
    </message>
    <message>
        <source>Jenis kelamin</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <source>Laki-laki</source>
        <translation>Laki-laki</translation>
    </message>
    <message>
        <source>Perempuan</source>
        <translation>Perempuan</translation>
    </message>
    <message>
        <source>Nama ibu kandung</source>
        <translation>Nama ibu kandung</translation>
    </message>
</context>
<context>
    <name>PhotoScreen</name>
    <message>
        <source>Pilih foto</source>
        <translation>Pilih foto</translation>
    </message>
    <message>
        <source>Foto (*.jpg *.jpeg *.png)</source>
        <translation>Foto (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>Foto KTP</source>
        <translation>Foto KTP</translation>
    </message>
    <message>
        <source>Letakkan KTP di meja, seluruh kartu terlihat dan tidak silau.</source>
        <translation>Letakkan KTP di meja, seluruh kartu terlihat dan tidak silau.</translation>
    </message>
    <message>
        <source>Foto diri sambil memegang KTP</source>
        <translation>Foto diri sambil memegang KTP</translation>
    </message>
    <message>
        <source>Wajah menghadap kamera, mata terbuka, KTP terlihat.</source>
        <translation>Wajah menghadap kamera, mata terbuka, KTP terlihat.</translation>
    </message>
    <message>
        <source>Sedang memproses foto…</source>
        <translation>Sedang memproses foto…</translation>
    </message>
    <message>
        <source>Foto siap. Tekan Lanjut.</source>
        <translation>Foto siap. Tekan Lanjut.</translation>
    </message>
    <message>
        <source>Kamera belum siap. Silakan panggil petugas.</source>
        <translation>Kamera belum siap. Silakan panggil petugas.</translation>
    </message>
    <message>
        <source>Belum ada foto.</source>
        <translation>Belum ada foto.</translation>
    </message>
    <message>
        <source>Ambil dari berkas…</source>
        <translation>Ambil dari berkas…</translation>
    </message>
    <message>
        <source>Impor oleh petugas…</source>
        <translation>Impor oleh petugas…</translation>
    </message>
</context>
<context>
    <name>ProfileScreen</name>
    <message>
        <source>Pendidikan dan pekerjaan</source>
        <translation>Pendidikan dan pekerjaan</translation>
    </message>
    <message>
        <source>Pilih satu jawaban untuk setiap pertanyaan.</source>
        <translation>Pilih satu jawaban untuk setiap pertanyaan.</translation>
    </message>
    <message>
        <source>Pendidikan terakhir</source>
        <translation>Pendidikan terakhir</translation>
    </message>
    <message>
        <source>Tidak sekolah</source>
        <translation>Tidak sekolah</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>SD</translation>
    </message>
    <message>
        <source>SMP</source>
        <translation>SMP</translation>
    </message>
    <message>
        <source>SMA/SMK</source>
        <translation>SMA/SMK</translation>
    </message>
    <message>
        <source>D1–D3</source>
        <translation>D1–D3</translation>
    </message>
    <message>
        <source>D4/S1</source>
        <translation>D4/S1</translation>
    </message>
    <message>
        <source>S2/S3</source>
        <translation>S2/S3</translation>
    </message>
    <message>
        <source>Status pekerjaan sekarang</source>
        <translation>Status pekerjaan sekarang</translation>
    </message>
    <message>
        <source>Tidak bekerja</source>
        <translation>Tidak bekerja</translation>
    </message>
    <message>
        <source>Korban PHK</source>
        <translation>Korban PHK</translation>
    </message>
    <message>
        <source>Bekerja</source>
        <translation>Bekerja</translation>
    </message>
    <message>
        <source>Wirausaha</source>
        <translation>Wirausaha</translation>
    </message>
</context>
<context>
    <name>QrScanner</name>
    <message>
        <source>Arahkan kode QR pada tanda terima ke kamera.</source>
        <translation>Arahkan kode QR pada tanda terima ke kamera.</translation>
    </message>
</context>
<context>
    <name>ReadAloudButton</name>
    <message>
        <source>■ Berhenti</source>
        <translation>■ Berhenti</translation>
    </message>
    <message>
        <source>▶ Bacakan</source>
        <translation>▶ Bacakan</translation>
    </message>
    <message>
        <source>Bacakan isi layar ini</source>
        <translation>Bacakan isi layar ini</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>Tanda Terima Pendaftaran Kartu Prakerja</source>
        <translation>Tanda Terima Pendaftaran Kartu Prakerja</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Nomor referensi</translation>
    </message>
    <message>
        <source>Nama: %1</source>
        <translation>Nama: %1</translation>
    </message>
    <message>
        <source>NIK: %1</source>
        <translation>NIK: %1</translation>
    </message>
    <message>
        <source>Waktu: %1</source>
        <translation>Waktu: %1</translation>
    </message>
    <message>
        <source>Data Anda tersimpan dan akan dikirim ke pusat.</source>
        <translation>Data Anda tersimpan dan akan dikirim ke pusat.</translation>
    </message>
    <message>
        <source>Kode verifikasi akan dikirim ke HP/e-mail Anda setelah data terkirim.</source>
        <translation>Kode verifikasi akan dikirim ke HP/e-mail Anda setelah data terkirim.</translation>
    </message>
    <message>
        <source>Hasil seleksi dikirim lewat SMS/e-mail.</source>
        <translation>Hasil seleksi dikirim lewat SMS/e-mail.</translation>
    </message>
    <message>
        <source>Cek status: bawa tanda terima ini ke kiosk dan pilih Cek Status.</source>
        <translation>Cek status: bawa tanda terima ini ke kiosk dan pilih Cek Status.</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <source>Tanda terima gagal dicetak. Minta bantuan petugas.</source>
        <translation>Tanda terima gagal dicetak. Minta bantuan petugas.</translation>
    </message>
    <message>
        <source>Tanda terima sedang dicetak.</source>
        <translation>Tanda terima sedang dicetak.</translation>
    </message>
    <message>
        <source>Tanda terima disimpan sebagai PDF.</source>
        <translation>Tanda terima disimpan sebagai PDF.</translation>
    </message>
    <message>
        <source>Pendaftaran tersimpan. Terima kasih!</source>
        <translation>Pendaftaran tersimpan. Terima kasih!</translation>
    </message>
    <message>
        <source>Foto layar ini dengan HP Anda.</source>
        <translation>Foto layar ini dengan HP Anda.</translation>
    </message>
    <message>
        <source>Atau foto layar ini dengan HP Anda.</source>
        <translation>Atau foto layar ini dengan HP Anda.</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Nomor referensi</translation>
    </message>
    <message>
        <source>Nama: %1</source>
        <translation>Nama: %1</translation>
    </message>
    <message>
        <source>NIK: %1</source>
        <translation>NIK: %1</translation>
    </message>
    <message>
        <source>Data Anda dikirim ke pusat (segera jika kiosk terhubung).</source>
        <translation>Data Anda dikirim ke pusat (segera jika kiosk terhubung).</translation>
    </message>
    <message>
        <source>Kode verifikasi dikirim ke HP/e-mail Anda setelah data terkirim.</source>
        <translation>Kode verifikasi dikirim ke HP/e-mail Anda setelah data terkirim.</translation>
    </message>
    <message>
        <source>Cek status: pilih Cek Status di kiosk, lalu tunjukkan kode QR ini ke kamera.</source>
        <translation>Cek status: pilih Cek Status di kiosk, lalu tunjukkan kode QR ini ke kamera.</translation>
    </message>
    <message>
        <source>Apa selanjutnya:</source>
        <translation>Apa selanjutnya:</translation>
    </message>
    <message>
        <source>Hasil seleksi dikirim lewat SMS/e-mail.</source>
        <translation>Hasil seleksi dikirim lewat SMS/e-mail.</translation>
    </message>
    <message>
        <source>Cetak tanda terima</source>
        <translation>Cetak tanda terima</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Selesai</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Sudah diverifikasi</source>
        <translation>Sudah diverifikasi</translation>
    </message>
    <message>
        <source>Diverifikasi setelah data terkirim</source>
        <translation>Diverifikasi setelah data terkirim</translation>
    </message>
    <message>
        <source>Belum</source>
        <translation>Belum</translation>
    </message>
    <message>
        <source>Laki-laki</source>
        <translation>Laki-laki</translation>
    </message>
    <message>
        <source>Perempuan</source>
        <translation>Perempuan</translation>
    </message>
    <message>
        <source>Kontak</source>
        <translation>Kontak</translation>
    </message>
    <message>
        <source>Data KTP</source>
        <translation>Data KTP</translation>
    </message>
    <message>
        <source>Data diri</source>
        <translation>Data diri</translation>
    </message>
    <message>
        <source>Ibu kandung: %1</source>
        <translation>Ibu kandung: %1</translation>
    </message>
    <message>
        <source>Alamat</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>Pendidikan dan pekerjaan</source>
        <translation>Pendidikan dan pekerjaan</translation>
    </message>
    <message>
        <source>Foto KTP</source>
        <translation>Foto KTP</translation>
    </message>
    <message>
        <source>Ada</source>
        <translation>Ada</translation>
    </message>
    <message>
        <source>Belum ada</source>
        <translation>Belum ada</translation>
    </message>
    <message>
        <source>Foto diri</source>
        <translation>Foto diri</translation>
    </message>
    <message>
        <source>Pernyataan</source>
        <translation>Pernyataan</translation>
    </message>
    <message>
        <source>%1 dari %2 dijawab Ya</source>
        <translation>%1 dari %2 dijawab Ya</translation>
    </message>
    <message>
        <source>Tes</source>
        <translation>Tes</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Belum dikerjakan</source>
        <translation>Belum dikerjakan</translation>
    </message>
    <message>
        <source>Ubah</source>
        <translation>Ubah</translation>
    </message>
    <message>
        <source>Ubah %1</source>
        <translation>Ubah %1</translation>
    </message>
    <message>
        <source>dan %1 lainnya</source>
        <translation>dan %1 lainnya</translation>
    </message>
    <message>
        <source>Masih kurang. Tekan Ubah pada bagian ini:</source>
        <translation>Masih kurang. Tekan Ubah pada bagian ini:</translation>
    </message>
    <message>
        <source>Periksa data Anda (%1 dari %2)</source>
        <translation>Periksa data Anda (%1 dari %2)</translation>
    </message>
    <message>
        <source>Tekan Ubah untuk memperbaiki. Jika sudah benar, tekan Lanjut.</source>
        <translation>Tekan Ubah untuk memperbaiki. Jika sudah benar, tekan Lanjut.</translation>
    </message>
    <message>
        <source>Kirim ▶</source>
        <translation>Kirim ▶</translation>
    </message>
    <message>
        <source>Lanjut ▶</source>
        <translation>Lanjut ▶</translation>
    </message>
    <message>
        <source>Tidak sekolah</source>
        <translation>Tidak sekolah</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>SD</translation>
    </message>
    <message>
        <source>SMP</source>
        <translation>SMP</translation>
    </message>
    <message>
        <source>SMA/SMK</source>
        <translation>SMA/SMK</translation>
    </message>
    <message>
        <source>D1–D3</source>
        <translation>D1–D3</translation>
    </message>
    <message>
        <source>D4/S1</source>
        <translation>D4/S1</translation>
    </message>
    <message>
        <source>S2/S3</source>
        <translation>S2/S3</translation>
    </message>
    <message>
        <source>Tidak bekerja</source>
        <translation>Tidak bekerja</translation>
    </message>
    <message>
        <source>Korban PHK</source>
        <translation>Korban PHK</translation>
    </message>
    <message>
        <source>Bekerja</source>
        <translation>Bekerja</translation>
    </message>
    <message>
        <source>Wirausaha</source>
        <translation>Wirausaha</translation>
    </message>
</context>
<context>
    <name>SealingScreen</name>
    <message>
        <source>Menyimpan pendaftaran…</source>
        <translation>Menyimpan pendaftaran…</translation>
    </message>
    <message>
        <source>Data Anda sedang disimpan dengan aman. Mohon tunggu sebentar.</source>
        <translation>Data Anda sedang disimpan dengan aman. Mohon tunggu sebentar.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Pengaturan</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Alamat server pusat (URL)</source>
        <translation>Alamat server pusat (URL)</translation>
    </message>
    <message>
        <source>Kamera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Printer (kosong = PDF)</source>
        <translation>Printer (kosong = PDF)</translation>
    </message>
    <message>
        <source>Bahasa awal</source>
        <translation>Bahasa awal</translation>
    </message>
    <message>
        <source>Batas diam (detik)</source>
        <translation>Batas diam (detik)</translation>
    </message>
    <message>
        <source>Simpan</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Berlaku setelah kiosk dimulai ulang.</source>
        <translation>Berlaku setelah kiosk dimulai ulang.</translation>
    </message>
    <message>
        <source>Hanya supervisor yang dapat mengubah pengaturan.</source>
        <translation>Hanya supervisor yang dapat mengubah pengaturan.</translation>
    </message>
</context>
<context>
    <name>StatusPage</name>
    <message>
        <source>Sedang memeriksa…</source>
        <translation>Sedang memeriksa…</translation>
    </message>
    <message>
        <source>Alasan: %1</source>
        <translation>Alasan: %1</translation>
    </message>
    <message>
        <source>Jawaban dari server pusat.</source>
        <translation>Jawaban dari server pusat.</translation>
    </message>
    <message>
        <source>Dari antrean kiosk ini (belum ada jawaban server).</source>
        <translation>Dari antrean kiosk ini (belum ada jawaban server).</translation>
    </message>
    <message>
        <source>Cek status pendaftaran</source>
        <translation>Cek status pendaftaran</translation>
    </message>
    <message>
        <source>Nomor referensi dari tanda terima (contoh PK-7Q4M-9XRT-D2KF-3)</source>
        <translation>Nomor referensi dari tanda terima (contoh PK-7Q4M-9XRT-D2KF-3)</translation>
    </message>
    <message>
        <source>Cek</source>
        <translation>Cek</translation>
    </message>
    <message>
        <source>⌨ Papan ketik</source>
        <translation>⌨ Papan ketik</translation>
    </message>
    <message>
        <source>Berhenti memindai</source>
        <translation>Berhenti memindai</translation>
    </message>
    <message>
        <source>Pindai QR</source>
        <translation>Pindai QR</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <source>Sedang memeriksa…</source>
        <extracomment>&quot;Pindai kode QR&quot; pressed: start (or stop) reading the receipt&apos;s QR code with the webcam.</extracomment>
        <translation>Sedang memeriksa…</translation>
    </message>
    <message>
        <source>Pendaftaran tersimpan di kiosk ini dan menunggu dikirim ke pusat.</source>
        <translation>Pendaftaran tersimpan di kiosk ini dan menunggu dikirim ke pusat.</translation>
    </message>
    <message>
        <source>Pendaftaran sudah diterima pusat.</source>
        <translation>Pendaftaran sudah diterima pusat.</translation>
    </message>
    <message>
        <source>Data Anda sedang diperiksa.</source>
        <translation>Data Anda sedang diperiksa.</translation>
    </message>
    <message>
        <source>Data Anda sudah diterima. Tunggu pemberitahuan gelombang.</source>
        <translation>Data Anda sudah diterima. Tunggu pemberitahuan gelombang.</translation>
    </message>
    <message>
        <source>Pendaftaran ditolak. Alasannya tertulis di bawah. Minta petugas membantu untuk langkah berikutnya.</source>
        <translation>Pendaftaran ditolak. Alasannya tertulis di bawah. Minta petugas membantu untuk langkah berikutnya.</translation>
    </message>
    <message>
        <source>Selamat, Anda lolos.</source>
        <translation>Selamat, Anda lolos.</translation>
    </message>
    <message>
        <source>Anda belum lolos. Anda dapat mendaftar di gelombang berikutnya.</source>
        <translation>Anda belum lolos. Anda dapat mendaftar di gelombang berikutnya.</translation>
    </message>
    <message>
        <source>Status tidak dikenal. Tanya petugas.</source>
        <translation>Status tidak dikenal. Tanya petugas.</translation>
    </message>
    <message>
        <source>Cek status pendaftaran</source>
        <translation>Cek status pendaftaran</translation>
    </message>
    <message>
        <source>Ketik nomor referensi dari tanda terima, contoh PK-7Q4M-9XRT-D2KF-3.</source>
        <translation>Ketik nomor referensi dari tanda terima, contoh PK-7Q4M-9XRT-D2KF-3.</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Nomor referensi</translation>
    </message>
    <message>
        <source>Berhenti memindai</source>
        <translation>Berhenti memindai</translation>
    </message>
    <message>
        <source>Pindai kode QR</source>
        <translation>Pindai kode QR</translation>
    </message>
    <message>
        <source>Cek ▶</source>
        <translation>Cek ▶</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>◌ Memeriksa sambungan…</source>
        <translation>◌ Memeriksa sambungan…</translation>
    </message>
    <message>
        <source>● Terhubung</source>
        <translation>● Terhubung</translation>
    </message>
    <message>
        <source>○ Tidak terhubung — data disimpan di sini</source>
        <translation>○ Tidak terhubung — data disimpan di sini</translation>
    </message>
    <message>
        <source>Semua pendaftaran sudah terkirim</source>
        <translation>Semua pendaftaran sudah terkirim</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran menunggu dikirim</source>
        <translation>
            <numerusform>%n pendaftaran menunggu dikirim</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <source>Langkah %1 dari %2</source>
        <translation>Langkah %1 dari %2</translation>
    </message>
</context>
<context>
    <name>StillImageSource</name>
    <message>
        <source>Gambar tidak terbaca.</source>
        <translation>Gambar tidak terbaca.</translation>
    </message>
</context>
<context>
    <name>TestIntroScreen</name>
    <message>
        <source>Mulai Tes</source>
        <translation>Mulai Tes</translation>
    </message>
    <message>
        <source>Tes Motivasi dan Kemampuan Dasar</source>
        <translation>Tes Motivasi dan Kemampuan Dasar</translation>
    </message>
    <message>
        <source>Bank soal belum tersedia.</source>
        <translation>Bank soal belum tersedia.</translation>
    </message>
    <message>
        <source>%1 soal · waktu %2 menit</source>
        <translation>%1 soal · waktu %2 menit</translation>
    </message>
    <message>
        <source>Untuk petugas: %1</source>
        <translation>Untuk petugas: %1</translation>
    </message>
</context>
<context>
    <name>TestPanel</name>
    <message>
        <source>Waktu habis. Jawaban yang sudah Anda isi tersimpan. Tekan Lanjut.</source>
        <translation>Waktu habis. Jawaban yang sudah Anda isi tersimpan. Tekan Lanjut.</translation>
    </message>
    <message>
        <source>Tes selesai. Jawaban Anda tersimpan. Tekan Lanjut.</source>
        <translation>Tes selesai. Jawaban Anda tersimpan. Tekan Lanjut.</translation>
    </message>
</context>
<context>
    <name>TestQuestionScreen</name>
    <message>
        <source>Sisa waktu %1</source>
        <extracomment>``kiosk.payload.TestAnswers`` — on &quot;Selesai&quot; or when time runs out (answers kept). Remaining seconds of a warning threshold just reached (300, 60): the shell may speak it.</extracomment>
        <translation>Sisa waktu %1</translation>
    </message>
    <message>
        <source>Waktu tinggal %1 menit lagi.</source>
        <translation>Waktu tinggal %1 menit lagi.</translation>
    </message>
    <message>
        <source>Waktu tinggal 1 menit lagi. Periksa jawaban Anda.</source>
        <translation>Waktu tinggal 1 menit lagi. Periksa jawaban Anda.</translation>
    </message>
    <message>
        <source>◀ Sebelumnya</source>
        <translation>◀ Sebelumnya</translation>
    </message>
    <message>
        <source>Berikutnya ▶</source>
        <translation>Berikutnya ▶</translation>
    </message>
    <message>
        <source>Akhiri Tes</source>
        <translation>Akhiri Tes</translation>
    </message>
    <message>
        <source>Ya, akhiri tes</source>
        <translation>Ya, akhiri tes</translation>
    </message>
    <message>
        <source>Tidak, kembali ke soal</source>
        <translation>Tidak, kembali ke soal</translation>
    </message>
    <message>
        <source>Masih ada %1 soal yang belum dijawab. Akhiri tes sekarang?</source>
        <translation>Masih ada %1 soal yang belum dijawab. Akhiri tes sekarang?</translation>
    </message>
    <message>
        <source>Semua soal sudah dijawab. Akhiri tes sekarang?</source>
        <translation>Semua soal sudah dijawab. Akhiri tes sekarang?</translation>
    </message>
    <message>
        <source>Soal %1 dari %2</source>
        <translation>Soal %1 dari %2</translation>
    </message>
</context>
<context>
    <name>TestStepScreen</name>
    <message>
        <source>Tes Motivasi dan Kemampuan Dasar</source>
        <extracomment>``&quot;intro&quot;``, ``&quot;question&quot;`` or ``&quot;done&quot;`` — the wizard shows its navigation by stage.</extracomment>
        <translation>Tes Motivasi dan Kemampuan Dasar</translation>
    </message>
    <message>
        <source>Tes dikerjakan nanti.</source>
        <translation>Tes dikerjakan nanti.</translation>
    </message>
    <message>
        <source>Tes belum tersedia di kiosk ini. Cara mengerjakan tes dikirim lewat SMS/e-mail.</source>
        <translation>Tes belum tersedia di kiosk ini. Cara mengerjakan tes dikirim lewat SMS/e-mail.</translation>
    </message>
</context>
<context>
    <name>TextKeyboard</name>
    <message>
        <source>Spasi</source>
        <translation>Spasi</translation>
    </message>
    <message>
        <source>⌫ Hapus</source>
        <translation>⌫ Hapus</translation>
    </message>
    <message>
        <source>Hapus satu huruf</source>
        <translation>Hapus satu huruf</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Ketik frasa sandi perangkat.</source>
        <translation>Ketik frasa sandi perangkat.</translation>
    </message>
    <message>
        <source>Membuka kunci…</source>
        <translation>Membuka kunci…</translation>
    </message>
    <message>
        <source>Buka kunci perangkat</source>
        <translation>Buka kunci perangkat</translation>
    </message>
    <message>
        <source>Kunci perangkat terkunci</source>
        <translation>Kunci perangkat terkunci</translation>
    </message>
    <message>
        <source>Tidak ada penyimpanan kunci yang aman di sini. Petugas: ketik frasa sandi perangkat.</source>
        <translation>Tidak ada penyimpanan kunci yang aman di sini. Petugas: ketik frasa sandi perangkat.</translation>
    </message>
    <message>
        <source>Frasa sandi tidak disimpan.</source>
        <translation>Frasa sandi tidak disimpan.</translation>
    </message>
    <message>
        <source>Buka kunci</source>
        <translation>Buka kunci</translation>
    </message>
</context>
<context>
    <name>VideoFileSource</name>
    <message>
        <source>Video demo tidak bisa dibuka.</source>
        <translation>Video demo tidak bisa dibuka.</translation>
    </message>
    <message>
        <source>Video demo rusak.</source>
        <translation>Video demo rusak.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Selamat datang di Pendaftaran Kartu Prakerja</source>
        <translation>Selamat datang di Pendaftaran Kartu Prakerja</translation>
    </message>
    <message>
        <source>Petugas siap membantu Anda. Pendaftaran Kartu Prakerja tidak dipungut biaya.</source>
        <translation>Petugas siap membantu Anda. Pendaftaran Kartu Prakerja tidak dipungut biaya.</translation>
    </message>
    <message>
        <source>Siapkan KTP asli dan HP aktif (untuk kode SMS). Waktunya sekitar 30 menit, termasuk tes.</source>
        <translation>Siapkan KTP asli dan HP aktif (untuk kode SMS). Waktunya sekitar 30 menit, termasuk tes.</translation>
    </message>
    <message>
        <source>Pilih bahasa / Choose language</source>
        <translation>Pilih bahasa / Choose language</translation>
    </message>
    <message>
        <source>Daftar</source>
        <translation>Daftar</translation>
    </message>
    <message>
        <source>Mulai pendaftaran Kartu Prakerja baru</source>
        <translation>Mulai pendaftaran Kartu Prakerja baru</translation>
    </message>
    <message>
        <source>Cek Status</source>
        <translation>Cek Status</translation>
    </message>
    <message>
        <source>Lihat status pendaftaran yang sudah dikirim</source>
        <translation>Lihat status pendaftaran yang sudah dikirim</translation>
    </message>
    <message>
        <source>Tekan Daftar untuk mendaftar, atau Cek Status untuk melihat status pendaftaran.</source>
        <translation>Tekan Daftar untuk mendaftar, atau Cek Status untuk melihat status pendaftaran.</translation>
    </message>
</context>
<context>
    <name>WipeDialog</name>
    <message>
        <source>Hapus data perangkat</source>
        <translation>Hapus data perangkat</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran belum terkirim dan akan hilang. Ekspor dulu ke USB, lalu hapus.</source>
        <translation>
            <numerusform>%n pendaftaran belum terkirim dan akan hilang. Ekspor dulu ke USB, lalu hapus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Semua pendaftaran sudah terkirim.</source>
        <translation>Semua pendaftaran sudah terkirim.</translation>
    </message>
    <message>
        <source>Kunci perangkat, antrean dan data tersimpan akan dihapus. Lanjutkan?</source>
        <translation>Kunci perangkat, antrean dan data tersimpan akan dihapus. Lanjutkan?</translation>
    </message>
    <message>
        <source>Ekspor dulu</source>
        <translation>Ekspor dulu</translation>
    </message>
    <message>
        <source>Hapus sekarang</source>
        <translation>Hapus sekarang</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>WizardController</name>
    <message>
        <source>Gelombang: %1</source>
        <translation>Gelombang: %1</translation>
    </message>
    <message>
        <source>Pendaftaran Anda akan masuk gelombang berikutnya.</source>
        <translation>Pendaftaran Anda akan masuk gelombang berikutnya.</translation>
    </message>
</context>
<context>
    <name>WizardScreen</name>
    <message>
        <source>Batal</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>◀ Kembali</source>
        <translation>◀ Kembali</translation>
    </message>
    <message>
        <source>Lanjut ▶</source>
        <translation>Lanjut ▶</translation>
    </message>
    <message>
        <source>Ya, sudah sesuai KTP</source>
        <translation>Ya, sudah sesuai KTP</translation>
    </message>
</context>
</TS>
