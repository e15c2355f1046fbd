<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name>AddressScreen</name>
    <message>
        <source>Pilih %1 dulu.</source>
        <translation>Choose the %1 first.</translation>
    </message>
    <message>
        <source>Tidak ada nama yang cocok. Coba ketik lebih sedikit.</source>
        <translation>No name matches. Try typing fewer letters.</translation>
    </message>
    <message>
        <source>provinsi</source>
        <translation>province</translation>
    </message>
    <message>
        <source>kabupaten/kota</source>
        <translation>regency/city</translation>
    </message>
    <message>
        <source>kecamatan</source>
        <translation>district</translation>
    </message>
    <message>
        <source>kelurahan/desa</source>
        <translation>village</translation>
    </message>
    <message>
        <source>Alamat sesuai KTP</source>
        <translation>Address as on the KTP</translation>
    </message>
    <message>
        <source>Jalan, nomor rumah, dusun</source>
        <translation>Street, house number, hamlet</translation>
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
        <translation>Province</translation>
    </message>
    <message>
        <source>Kabupaten/Kota</source>
        <translation>Regency/City</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>District</translation>
    </message>
    <message>
        <source>Kelurahan/Desa</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>Pilih %1…</source>
        <translation>Choose the %1…</translation>
    </message>
    <message>
        <source>Pilih %1</source>
        <translation>Choose the %1</translation>
    </message>
    <message>
        <source>Tulis jalan dan nomor rumah, lalu RT dan RW.</source>
        <translation>Write the street and house number, then the RT and RW.</translation>
    </message>
    <message>
        <source>Pilih wilayah dari atas ke bawah: provinsi dulu.</source>
        <translation>Choose the regions from the top down: the province first.</translation>
    </message>
    <message>
        <source>Cari: ketik awal nama</source>
        <translation>Search: type the start of the name</translation>
    </message>
    <message>
        <source>◀ Kembali ke alamat</source>
        <translation>◀ Back to the address</translation>
    </message>
</context>
<context>
    <name>AttentionPage</name>
    <message>
        <source>Ditolak server</source>
        <translation>Refused by the server</translation>
    </message>
    <message>
        <source>Dikarantina</source>
        <translation>Quarantined</translation>
    </message>
    <message>
        <source>Perlu perhatian</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Reference number</translation>
    </message>
    <message>
        <source>Keadaan</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Alasan</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Sejak</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>Tidak ada pendaftaran yang perlu diperiksa.</source>
        <translation>No registration needs checking.</translation>
    </message>
    <message>
        <source>Kirim ulang</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>Ekspor ke berkas…</source>
        <translation>Export to file…</translation>
    </message>
</context>
<context>
    <name>CameraSource</name>
    <message>
        <source>Izin kamera ditolak. Minta petugas mengizinkan kamera.</source>
        <extracomment>``camera.device`` from the settings (issue 19): the camera a source without an explicit id uses; ``&quot;auto&quot;`` (or empty) = the system default. Set once by the wizard from the configuration.</extracomment>
        <translation>Camera permission denied. Ask the staff to allow the camera.</translation>
    </message>
    <message>
        <source>Kamera belum siap. Silakan panggil petugas.</source>
        <translation>The camera is not ready. Please call the staff.</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <source>Ambil foto</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <source>Ulangi foto</source>
        <translation>Retake photo</translation>
    </message>
    <message>
        <source>Foto gagal diambil. Coba lagi.</source>
        <translation>The photo could not be taken. Try again.</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Batalkan pendaftaran?</source>
        <translation>Cancel the registration?</translation>
    </message>
    <message>
        <source>Semua data yang sudah Anda isi akan dihapus. Pilih Tidak untuk melanjutkan pendaftaran.</source>
        <translation>Everything you entered will be deleted. Choose No to go on with the registration.</translation>
    </message>
    <message>
        <source>Ya, hapus data</source>
        <translation>Yes, delete the data</translation>
    </message>
    <message>
        <source>Tidak, lanjutkan</source>
        <translation>No, continue</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <source>Pengiriman dimulai.</source>
        <translation>Sending started.</translation>
    </message>
    <message numerus="yes">
        <source>%n dikirim ulang.</source>
        <translation>
            <numerusform>%n queued to send again.</numerusform>
            <numerusform>%n queued to send again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n diekspor ke berkas.</source>
        <translation>
            <numerusform>%n exported to file.</numerusform>
            <numerusform>%n exported to file.</numerusform>
        </translation>
    </message>
    <message>
        <source>Simpan berkas ekspor</source>
        <translation>Save export file</translation>
    </message>
    <message>
        <source>Pilih berkas ekspor</source>
        <translation>Choose export file</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran diekspor ke %1.</source>
        <translation>
            <numerusform>%n registration exported to %1.</numerusform>
            <numerusform>%n registrations exported to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Diimpor: %1. Sudah ada: %2. Bentrok (tidak diimpor): %3.</source>
        <translation>Imported: %1. Already here: %2. Conflicts (not imported): %3.</translation>
    </message>
    <message>
        <source>Tersimpan. Berlaku setelah kiosk dimulai ulang.</source>
        <translation>Saved. Takes effect after the kiosk restarts.</translation>
    </message>
    <message numerus="yes">
        <source>%n catatan lama dihapus.</source>
        <translation>
            <numerusform>%n old record deleted.</numerusform>
            <numerusform>%n old records deleted.</numerusform>
        </translation>
    </message>
    <message>
        <source>Data perangkat dihapus. Tutup aplikasi; daftarkan ulang perangkat sebelum dipakai lagi.</source>
        <translation>Device data wiped. Quit the application; enrol the device again before using it.</translation>
    </message>
</context>
<context>
    <name>ConsoleScreen</name>
    <message>
        <source>Konsol petugas</source>
        <translation>Staff console</translation>
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
        <translation>online</translation>
    </message>
    <message>
        <source>luring</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Konsol petugas — %1 (%2, %3)</source>
        <translation>Staff console — %1 (%2, %3)</translation>
    </message>
    <message>
        <source>Kembali ke kiosk</source>
        <translation>Back to kiosk</translation>
    </message>
    <message>
        <source>Keluar layar penuh</source>
        <translation>Leave full screen</translation>
    </message>
    <message>
        <source>Tutup aplikasi</source>
        <translation>Quit application</translation>
    </message>
    <message>
        <source>Ringkasan</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Perlu perhatian</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Cek status</source>
        <translation>Check status</translation>
    </message>
    <message>
        <source>Kerja lapangan</source>
        <translation>Field work</translation>
    </message>
    <message>
        <source>Pengaturan</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Perawatan</source>
        <translation>Maintenance</translation>
    </message>
</context>
<context>
    <name>ContactScreen</name>
    <message>
        <source>Bagaimana kami menghubungi Anda?</source>
        <translation>How can we reach you?</translation>
    </message>
    <message>
        <source>Pilih ke mana kode verifikasi dikirim.</source>
        <translation>Choose where the verification code is sent.</translation>
    </message>
    <message>
        <source>Alamat e-mail Anda</source>
        <translation>Your e-mail address</translation>
    </message>
    <message>
        <source>Kode verifikasi dikirim ke e-mail ini.</source>
        <translation>The verification code is sent to this e-mail.</translation>
    </message>
    <message>
        <source>Nomor HP Anda</source>
        <translation>Your mobile number</translation>
    </message>
    <message>
        <source>Kode verifikasi dikirim lewat SMS ke nomor ini.</source>
        <translation>The verification code is sent by SMS to this number.</translation>
    </message>
    <message>
        <source>Kirim kode verifikasi lewat</source>
        <translation>Send the verification code by</translation>
    </message>
    <message>
        <source>SMS ke HP</source>
        <translation>SMS to mobile</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Nomor HP (contoh: 0812 3456 7890)</source>
        <translation>Mobile number (example: 0812 3456 7890)</translation>
    </message>
    <message>
        <source>E-mail (contoh: nama@gmail.com)</source>
        <translation>E-mail (example: name@gmail.com)</translation>
    </message>
    <message>
        <source>Kiosk tidak terhubung. Kode verifikasi dikirim setelah data Anda terkirim.</source>
        <translation>The kiosk is not connected. The verification code is sent after your data is sent.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Ringkasan antrean</source>
        <translation>Queue overview</translation>
    </message>
    <message>
        <source>Kirim sekarang</source>
        <translation>Send now</translation>
    </message>
</context>
<context>
    <name>DeclarationScreen</name>
    <message>
        <source>Pernyataan Pendaftar</source>
        <translation>Applicant&apos;s declaration</translation>
    </message>
    <message>
        <source>Jawab setiap pertanyaan dengan jujur.</source>
        <translation>Answer every question honestly.</translation>
    </message>
    <message>
        <source>Ya</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Tidak</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Data yang tidak benar dapat membuat pendaftaran Anda dibatalkan.</source>
        <translation>Untrue data can cause your registration to be cancelled.</translation>
    </message>
</context>
<context>
    <name>FieldWorkPage</name>
    <message>
        <source>Sedang bekerja…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>Kerja lapangan (USB)</source>
        <translation>Field work (USB)</translation>
    </message>
    <message>
        <source>Ekspor menyalin pendaftaran yang menunggu (terkunci/terenkripsi) ke berkas, misalnya di USB. Impor berkas itu di kiosk yang terhubung ke internet; yang sudah ada tidak dikirim dua kali.</source>
        <translation>Export copies the waiting registrations (sealed/encrypted) to a file, e.g. on a USB stick. Import that file on a kiosk with internet; registrations already there are never sent twice.</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran menunggu dikirim.</source>
        <translation>
            <numerusform>%n registration waiting to be sent.</numerusform>
            <numerusform>%n registrations waiting to be sent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Ekspor ke USB…</source>
        <translation>Export to USB…</translation>
    </message>
    <message>
        <source>Impor dari berkas…</source>
        <translation>Import from file…</translation>
    </message>
</context>
<context>
    <name>IdentityScreen</name>
    <message>
        <source>Data KTP</source>
        <translation>KTP data</translation>
    </message>
    <message>
        <source>Salin persis seperti yang tertulis di KTP Anda.</source>
        <translation>Copy exactly what is written on your KTP.</translation>
    </message>
    <message>
        <source>NIK (16 angka di KTP)</source>
        <translation>NIK (16 digits on the KTP)</translation>
    </message>
    <message>
        <source>Tempat lahir</source>
        <translation>Place of birth</translation>
    </message>
    <message>
        <source>Tanggal lahir (contoh 17-08-1990)</source>
        <translation>Date of birth (e.g. 17-08-1990)</translation>
    </message>
</context>
<context>
    <name>IdleWarningDialog</name>
    <message>
        <source>Masih di sini?</source>
        <translation>Still here?</translation>
    </message>
    <message>
        <source>Tes akan diakhiri dalam %1 detik. Jawaban Anda tetap tersimpan. Sentuh tombol di bawah.</source>
        <translation>The test will end in %1 seconds. Your answers are kept. Touch the button below.</translation>
    </message>
    <message>
        <source>Data Anda akan dihapus dalam %1 detik. Sentuh tombol di bawah untuk lanjut.</source>
        <translation>Your data will be deleted in %1 seconds. Touch the button below to go on.</translation>
    </message>
    <message>
        <source>Saya masih di sini</source>
        <translation>I&apos;m still here</translation>
    </message>
</context>
<context>
    <name>ImageSequenceSource</name>
    <message>
        <source>Tidak ada gambar untuk ditampilkan.</source>
        <translation>No picture to show.</translation>
    </message>
</context>
<context>
    <name>KioskShell</name>
    <message>
        <source>Menyiapkan kiosk…</source>
        <translation>Getting ready…</translation>
    </message>
    <message>
        <source>Menyiapkan server demo…</source>
        <translation>Starting the demo server…</translation>
    </message>
    <message>
        <source>Demo: server %1</source>
        <translation>Demo: server %1</translation>
    </message>
    <message>
        <source>Kiosk terkunci: menunggu petugas.</source>
        <translation>Kiosk locked: waiting for staff.</translation>
    </message>
    <message>
        <source>Server demo gagal: %1</source>
        <translation>Demo server failed: %1</translation>
    </message>
    <message>
        <source>Kiosk belum siap: %1</source>
        <translation>The kiosk is not ready: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Isi nama pengguna dan PIN.</source>
        <translation>Enter the username and PIN.</translation>
    </message>
    <message>
        <source>Memeriksa…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Masuk petugas</source>
        <translation>Staff login</translation>
    </message>
    <message>
        <source>Nama pengguna</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Masuk</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Pendaftaran Kartu Prakerja</source>
        <translation>Kartu Prakerja Registration</translation>
    </message>
</context>
<context>
    <name>MaintenancePage</name>
    <message>
        <source>Perawatan</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>Catatan pendaftaran yang sudah terkirim (tanpa isi) disimpan %1 hari, lalu dihapus.</source>
        <translation>Records of delivered registrations (without content) are kept %1 days, then deleted.</translation>
    </message>
    <message>
        <source>Hapus catatan lama</source>
        <translation>Delete old records</translation>
    </message>
    <message>
        <source>Periksa log audit</source>
        <translation>Check audit log</translation>
    </message>
    <message>
        <source>Hapus data perangkat</source>
        <translation>Wipe device data</translation>
    </message>
    <message>
        <source>Menghapus kunci perangkat, antrean dan data tersimpan. Tidak bisa dibatalkan.</source>
        <translation>Removes the device keys, the queue and stored data. Cannot be undone.</translation>
    </message>
    <message>
        <source>Hanya supervisor yang dapat menghapus data perangkat.</source>
        <translation>Only a supervisor can wipe the device data.</translation>
    </message>
    <message>
        <source>Hapus data perangkat…</source>
        <translation>Wipe device data…</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <source>⌫ Hapus</source>
        <translation>⌫ Delete</translation>
    </message>
    <message>
        <source>Hapus satu angka</source>
        <translation>Delete one digit</translation>
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
        <translation>Enter the verification code</translation>
    </message>
    <message>
        <source>Kode 6 angka sudah dikirim ke %1. Ketik dengan tombol angka.</source>
        <translation>A 6-digit code was sent to %1. Type it with the number keys.</translation>
    </message>
    <message>
        <source>Kode berisi 6 angka. Ketik dengan tombol angka.</source>
        <translation>The code has 6 digits. Type it with the number keys.</translation>
    </message>
    <message>
        <source>Sedang mengirim kode…</source>
        <translation>Sending the code…</translation>
    </message>
    <message>
        <source>Kode verifikasi</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <source>Kirim ulang (%1 detik)</source>
        <translation>Send again (%1 seconds)</translation>
    </message>
    <message>
        <source>Kirim ulang kode</source>
        <translation>Send the code again</translation>
    </message>
    <message>
        <source>Verifikasi nanti</source>
        <translation>Verify later</translation>
    </message>
</context>
<context>
    <name>PersonalScreen</name>
    <message>
        <source>Data diri</source>
        <translation>Personal data</translation>
    </message>
    <message>
        <source>Tulis nama persis seperti di KTP.</source>
        <translation>Write the name exactly as on the KTP.</translation>
    </message>
    <message>
        <source>Nama lengkap</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Jenis kelamin</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>Laki-laki</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Perempuan</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>Nama ibu kandung</source>
        <translation>Mother&apos;s maiden name</translation>
    </message>
</context>
<context>
    <name>PhotoScreen</name>
    <message>
        <source>Pilih foto</source>
        <translation>Choose a photo</translation>
    </message>
    <message>
        <source>Foto (*.jpg *.jpeg *.png)</source>
        <translation>Photos (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>Foto KTP</source>
        <translation>KTP photo</translation>
    </message>
    <message>
        <source>Letakkan KTP di meja, seluruh kartu terlihat dan tidak silau.</source>
        <translation>Put the KTP on the table, the whole card visible and without glare.</translation>
    </message>
    <message>
        <source>Foto diri sambil memegang KTP</source>
        <translation>Photo of yourself holding the KTP</translation>
    </message>
    <message>
        <source>Wajah menghadap kamera, mata terbuka, KTP terlihat.</source>
        <translation>Face the camera, eyes open, KTP visible.</translation>
    </message>
    <message>
        <source>Sedang memproses foto…</source>
        <translation>Processing the photo…</translation>
    </message>
    <message>
        <source>Foto siap. Tekan Lanjut.</source>
        <translation>Photo ready. Press Next.</translation>
    </message>
    <message>
        <source>Kamera belum siap. Silakan panggil petugas.</source>
        <translation>The camera is not ready. Please call the staff.</translation>
    </message>
    <message>
        <source>Belum ada foto.</source>
        <translation>No photo yet.</translation>
    </message>
    <message>
        <source>Ambil dari berkas…</source>
        <translation>Take from a file…</translation>
    </message>
    <message>
        <source>Impor oleh petugas…</source>
        <translation>Import by staff…</translation>
    </message>
</context>
<context>
    <name>ProfileScreen</name>
    <message>
        <source>Pendidikan dan pekerjaan</source>
        <translation>Education and work</translation>
    </message>
    <message>
        <source>Pilih satu jawaban untuk setiap pertanyaan.</source>
        <translation>Choose one answer for each question.</translation>
    </message>
    <message>
        <source>Pendidikan terakhir</source>
        <translation>Highest education</translation>
    </message>
    <message>
        <source>Tidak sekolah</source>
        <translation>No schooling</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>Primary (SD)</translation>
    </message>
    <message>
        <source>SMP</source>
        <translation>Junior high (SMP)</translation>
    </message>
    <message>
        <source>SMA/SMK</source>
        <translation>Senior high (SMA/SMK)</translation>
    </message>
    <message>
        <source>D1–D3</source>
        <translation>Diploma (D1–D3)</translation>
    </message>
    <message>
        <source>D4/S1</source>
        <translation>Bachelor (D4/S1)</translation>
    </message>
    <message>
        <source>S2/S3</source>
        <translation>Master/PhD (S2/S3)</translation>
    </message>
    <message>
        <source>Status pekerjaan sekarang</source>
        <translation>Current work status</translation>
    </message>
    <message>
        <source>Tidak bekerja</source>
        <translation>Not working</translation>
    </message>
    <message>
        <source>Korban PHK</source>
        <translation>Laid off</translation>
    </message>
    <message>
        <source>Bekerja</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>Wirausaha</source>
        <translation>Business owner</translation>
    </message>
</context>
<context>
    <name>QrScanner</name>
    <message>
        <source>Arahkan kode QR pada tanda terima ke kamera.</source>
        <translation>Hold the QR code on the receipt up to the camera.</translation>
    </message>
</context>
<context>
    <name>ReadAloudButton</name>
    <message>
        <source>■ Berhenti</source>
        <translation>■ Stop</translation>
    </message>
    <message>
        <source>▶ Bacakan</source>
        <translation>▶ Read aloud</translation>
    </message>
    <message>
        <source>Bacakan isi layar ini</source>
        <translation>Read this screen aloud</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>Tanda Terima Pendaftaran Kartu Prakerja</source>
        <translation>Kartu Prakerja Registration Receipt</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Reference number</translation>
    </message>
    <message>
        <source>Nama: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <source>NIK: %1</source>
        <translation>NIK: %1</translation>
    </message>
    <message>
        <source>Waktu: %1</source>
        <translation>Time: %1</translation>
    </message>
    <message>
        <source>Data Anda tersimpan dan akan dikirim ke pusat.</source>
        <translation>Your data is saved and will be sent to the central office.</translation>
    </message>
    <message>
        <source>Kode verifikasi akan dikirim ke HP/e-mail Anda setelah data terkirim.</source>
        <translation>The verification code will be sent to your phone/e-mail after the data is sent.</translation>
    </message>
    <message>
        <source>Hasil seleksi dikirim lewat SMS/e-mail.</source>
        <translation>The result comes by SMS/e-mail.</translation>
    </message>
    <message>
        <source>Cek status: bawa tanda terima ini ke kiosk dan pilih Cek Status.</source>
        <translation>Check status: bring this receipt to the kiosk and choose Check Status.</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <source>Tanda terima gagal dicetak. Minta bantuan petugas.</source>
        <translation>The receipt could not be printed. Please ask the staff.</translation>
    </message>
    <message>
        <source>Tanda terima sedang dicetak.</source>
        <translation>The receipt is being printed.</translation>
    </message>
    <message>
        <source>Tanda terima disimpan sebagai PDF.</source>
        <translation>The receipt was saved as a PDF.</translation>
    </message>
    <message>
        <source>Pendaftaran tersimpan. Terima kasih!</source>
        <translation>Registration saved. Thank you!</translation>
    </message>
    <message>
        <source>Foto layar ini dengan HP Anda.</source>
        <translation>Take a photo of this screen with your phone.</translation>
    </message>
    <message>
        <source>Atau foto layar ini dengan HP Anda.</source>
        <translation>Or take a photo of this screen with your phone.</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Reference number</translation>
    </message>
    <message>
        <source>Nama: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <source>NIK: %1</source>
        <translation>NIK: %1</translation>
    </message>
    <message>
        <source>Data Anda dikirim ke pusat (segera jika kiosk terhubung).</source>
        <translation>Your data goes to the centre (at once when online).</translation>
    </message>
    <message>
        <source>Kode verifikasi dikirim ke HP/e-mail Anda setelah data terkirim.</source>
        <translation>The verification code is sent after the data.</translation>
    </message>
    <message>
        <source>Cek status: pilih Cek Status di kiosk, lalu tunjukkan kode QR ini ke kamera.</source>
        <translation>Status: choose Check status, show this QR code to the camera.</translation>
    </message>
    <message>
        <source>Apa selanjutnya:</source>
        <translation>What happens next:</translation>
    </message>
    <message>
        <source>Hasil seleksi dikirim lewat SMS/e-mail.</source>
        <translation>The result comes by SMS/e-mail.</translation>
    </message>
    <message>
        <source>Cetak tanda terima</source>
        <translation>Print the receipt</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Finish</translation>
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
        <translation>Verified</translation>
    </message>
    <message>
        <source>Diverifikasi setelah data terkirim</source>
        <translation>Verified after the data is sent</translation>
    </message>
    <message>
        <source>Belum</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>Laki-laki</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Perempuan</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>Kontak</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Data KTP</source>
        <translation>KTP data</translation>
    </message>
    <message>
        <source>Data diri</source>
        <translation>Personal data</translation>
    </message>
    <message>
        <source>Ibu kandung: %1</source>
        <translation>Mother: %1</translation>
    </message>
    <message>
        <source>Alamat</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Pendidikan dan pekerjaan</source>
        <translation>Education and work</translation>
    </message>
    <message>
        <source>Foto KTP</source>
        <translation>KTP photo</translation>
    </message>
    <message>
        <source>Ada</source>
        <translation>Taken</translation>
    </message>
    <message>
        <source>Belum ada</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>Foto diri</source>
        <translation>Selfie</translation>
    </message>
    <message>
        <source>Pernyataan</source>
        <translation>Declaration</translation>
    </message>
    <message>
        <source>%1 dari %2 dijawab Ya</source>
        <translation>%1 of %2 answered Yes</translation>
    </message>
    <message>
        <source>Tes</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Belum dikerjakan</source>
        <translation>Not done yet</translation>
    </message>
    <message>
        <source>Ubah</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Ubah %1</source>
        <translation>Change %1</translation>
    </message>
    <message>
        <source>dan %1 lainnya</source>
        <translation>and %1 more</translation>
    </message>
    <message>
        <source>Masih kurang. Tekan Ubah pada bagian ini:</source>
        <translation>Still missing. Press Change on this part:</translation>
    </message>
    <message>
        <source>Periksa data Anda (%1 dari %2)</source>
        <translation>Check your data (%1 of %2)</translation>
    </message>
    <message>
        <source>Tekan Ubah untuk memperbaiki. Jika sudah benar, tekan Lanjut.</source>
        <translation>Press Change to correct. If it is right, press Next.</translation>
    </message>
    <message>
        <source>Kirim ▶</source>
        <translation>Send ▶</translation>
    </message>
    <message>
        <source>Lanjut ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <source>Tidak sekolah</source>
        <translation>No schooling</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>Primary (SD)</translation>
    </message>
    <message>
        <source>SMP</source>
        <translation>Junior high (SMP)</translation>
    </message>
    <message>
        <source>SMA/SMK</source>
        <translation>Senior high (SMA/SMK)</translation>
    </message>
    <message>
        <source>D1–D3</source>
        <translation>Diploma (D1–D3)</translation>
    </message>
    <message>
        <source>D4/S1</source>
        <translation>Bachelor (D4/S1)</translation>
    </message>
    <message>
        <source>S2/S3</source>
        <translation>Master/PhD (S2/S3)</translation>
    </message>
    <message>
        <source>Tidak bekerja</source>
        <translation>Not working</translation>
    </message>
    <message>
        <source>Korban PHK</source>
        <translation>Laid off</translation>
    </message>
    <message>
        <source>Bekerja</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>Wirausaha</source>
        <translation>Business owner</translation>
    </message>
</context>
<context>
    <name>SealingScreen</name>
    <message>
        <source>Menyimpan pendaftaran…</source>
        <translation>Saving the registration…</translation>
    </message>
    <message>
        <source>Data Anda sedang disimpan dengan aman. Mohon tunggu sebentar.</source>
        <translation>Your data is being saved safely. Please wait a moment.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Pengaturan</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Alamat server pusat (URL)</source>
        <translation>Central server address (URL)</translation>
    </message>
    <message>
        <source>Kamera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Printer (kosong = PDF)</source>
        <translation>Printer (empty = PDF)</translation>
    </message>
    <message>
        <source>Bahasa awal</source>
        <translation>Start language</translation>
    </message>
    <message>
        <source>Batas diam (detik)</source>
        <translation>Idle timeout (seconds)</translation>
    </message>
    <message>
        <source>Simpan</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Berlaku setelah kiosk dimulai ulang.</source>
        <translation>Takes effect after the kiosk restarts.</translation>
    </message>
    <message>
        <source>Hanya supervisor yang dapat mengubah pengaturan.</source>
        <translation>Only a supervisor can change the settings.</translation>
    </message>
</context>
<context>
    <name>StatusPage</name>
    <message>
        <source>Sedang memeriksa…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Alasan: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <source>Jawaban dari server pusat.</source>
        <translation>Answer from the central server.</translation>
    </message>
    <message>
        <source>Dari antrean kiosk ini (belum ada jawaban server).</source>
        <translation>From this kiosk&apos;s queue (no server answer yet).</translation>
    </message>
    <message>
        <source>Cek status pendaftaran</source>
        <translation>Check registration status</translation>
    </message>
    <message>
        <source>Nomor referensi dari tanda terima (contoh PK-7Q4M-9XRT-D2KF-3)</source>
        <translation>Reference number from the receipt (e.g. PK-7Q4M-9XRT-D2KF-3)</translation>
    </message>
    <message>
        <source>Cek</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>⌨ Papan ketik</source>
        <translation>⌨ Keyboard</translation>
    </message>
    <message>
        <source>Berhenti memindai</source>
        <translation>Stop scanning</translation>
    </message>
    <message>
        <source>Pindai QR</source>
        <translation>Scan QR</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <source>Sedang memeriksa…</source>
        <extracomment>&quot;Pindai kode QR&quot; pressed: start (or stop) reading the receipt&apos;s QR code with the webcam.</extracomment>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Pendaftaran tersimpan di kiosk ini dan menunggu dikirim ke pusat.</source>
        <translation>The registration is saved on this kiosk and waiting to be sent to the central office.</translation>
    </message>
    <message>
        <source>Pendaftaran sudah diterima pusat.</source>
        <translation>The central office has received the registration.</translation>
    </message>
    <message>
        <source>Data Anda sedang diperiksa.</source>
        <translation>Your data is being checked.</translation>
    </message>
    <message>
        <source>Data Anda sudah diterima. Tunggu pemberitahuan gelombang.</source>
        <translation>Your data has been accepted. Wait for the wave announcement.</translation>
    </message>
    <message>
        <source>Pendaftaran ditolak. Alasannya tertulis di bawah. Minta petugas membantu untuk langkah berikutnya.</source>
        <translation>The registration was refused. The reason is below. Ask the staff to help with the next step.</translation>
    </message>
    <message>
        <source>Selamat, Anda lolos.</source>
        <translation>Congratulations, you passed.</translation>
    </message>
    <message>
        <source>Anda belum lolos. Anda dapat mendaftar di gelombang berikutnya.</source>
        <translation>You did not pass this time. You can register in the next wave.</translation>
    </message>
    <message>
        <source>Status tidak dikenal. Tanya petugas.</source>
        <translation>Unknown status. Please ask the staff.</translation>
    </message>
    <message>
        <source>Cek status pendaftaran</source>
        <translation>Check registration status</translation>
    </message>
    <message>
        <source>Ketik nomor referensi dari tanda terima, contoh PK-7Q4M-9XRT-D2KF-3.</source>
        <translation>Type the reference number from the receipt, for example PK-7Q4M-9XRT-D2KF-3.</translation>
    </message>
    <message>
        <source>Nomor referensi</source>
        <translation>Reference number</translation>
    </message>
    <message>
        <source>Berhenti memindai</source>
        <translation>Stop scanning</translation>
    </message>
    <message>
        <source>Pindai kode QR</source>
        <translation>Scan the QR code</translation>
    </message>
    <message>
        <source>Cek ▶</source>
        <translation>Check ▶</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>◌ Memeriksa sambungan…</source>
        <translation>◌ Checking the connection…</translation>
    </message>
    <message>
        <source>● Terhubung</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ Tidak terhubung — data disimpan di sini</source>
        <translation>○ Offline — data is kept here</translation>
    </message>
    <message>
        <source>Semua pendaftaran sudah terkirim</source>
        <translation>All registrations have been sent</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran menunggu dikirim</source>
        <translation>
            <numerusform>%n registration waiting to be sent</numerusform>
            <numerusform>%n registrations waiting to be sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <source>Langkah %1 dari %2</source>
        <translation>Step %1 of %2</translation>
    </message>
</context>
<context>
    <name>StillImageSource</name>
    <message>
        <source>Gambar tidak terbaca.</source>
        <translation>The picture cannot be read.</translation>
    </message>
</context>
<context>
    <name>TestIntroScreen</name>
    <message>
        <source>Mulai Tes</source>
        <translation>Start the test</translation>
    </message>
    <message>
        <source>Tes Motivasi dan Kemampuan Dasar</source>
        <translation>Motivation and Basic Skills Test</translation>
    </message>
    <message>
        <source>Bank soal belum tersedia.</source>
        <translation>No test bank is available.</translation>
    </message>
    <message>
        <source>%1 soal · waktu %2 menit</source>
        <translation>%1 questions · %2 minutes</translation>
    </message>
    <message>
        <source>Untuk petugas: %1</source>
        <translation>For staff: %1</translation>
    </message>
</context>
<context>
    <name>TestPanel</name>
    <message>
        <source>Waktu habis. Jawaban yang sudah Anda isi tersimpan. Tekan Lanjut.</source>
        <translation>Time is up. The answers you gave are saved. Press Continue.</translation>
    </message>
    <message>
        <source>Tes selesai. Jawaban Anda tersimpan. Tekan Lanjut.</source>
        <translation>The test is finished. Your answers are saved. Press Continue.</translation>
    </message>
</context>
<context>
    <name>TestQuestionScreen</name>
    <message>
        <source>Sisa waktu %1</source>
        <extracomment>``kiosk.payload.TestAnswers`` — on &quot;Selesai&quot; or when time runs out (answers kept). Remaining seconds of a warning threshold just reached (300, 60): the shell may speak it.</extracomment>
        <translation>Time left %1</translation>
    </message>
    <message>
        <source>Waktu tinggal %1 menit lagi.</source>
        <translation>%1 minutes left.</translation>
    </message>
    <message>
        <source>Waktu tinggal 1 menit lagi. Periksa jawaban Anda.</source>
        <translation>1 minute left. Check your answers.</translation>
    </message>
    <message>
        <source>◀ Sebelumnya</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <source>Berikutnya ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <source>Akhiri Tes</source>
        <translation>End the test</translation>
    </message>
    <message>
        <source>Ya, akhiri tes</source>
        <translation>Yes, end the test</translation>
    </message>
    <message>
        <source>Tidak, kembali ke soal</source>
        <translation>No, back to the questions</translation>
    </message>
    <message>
        <source>Masih ada %1 soal yang belum dijawab. Akhiri tes sekarang?</source>
        <translation>%1 questions are not answered yet. End the test now?</translation>
    </message>
    <message>
        <source>Semua soal sudah dijawab. Akhiri tes sekarang?</source>
        <translation>All questions are answered. End the test now?</translation>
    </message>
    <message>
        <source>Soal %1 dari %2</source>
        <translation>Question %1 of %2</translation>
    </message>
</context>
<context>
    <name>TestStepScreen</name>
    <message>
        <source>Tes Motivasi dan Kemampuan Dasar</source>
        <extracomment>``&quot;intro&quot;``, ``&quot;question&quot;`` or ``&quot;done&quot;`` — the wizard shows its navigation by stage.</extracomment>
        <translation>Motivation and Basic Skills Test</translation>
    </message>
    <message>
        <source>Tes dikerjakan nanti.</source>
        <translation>The test is taken later.</translation>
    </message>
    <message>
        <source>Tes belum tersedia di kiosk ini. Cara mengerjakan tes dikirim lewat SMS/e-mail.</source>
        <translation>The test is not available on this kiosk. How to take the test is sent by SMS/e-mail.</translation>
    </message>
</context>
<context>
    <name>TextKeyboard</name>
    <message>
        <source>Spasi</source>
        <translation>Space</translation>
    </message>
    <message>
        <source>⌫ Hapus</source>
        <translation>⌫ Delete</translation>
    </message>
    <message>
        <source>Hapus satu huruf</source>
        <translation>Delete one letter</translation>
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
        <translation>Type the device passphrase.</translation>
    </message>
    <message>
        <source>Membuka kunci…</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <source>Buka kunci perangkat</source>
        <translation>Unlock the device</translation>
    </message>
    <message>
        <source>Kunci perangkat terkunci</source>
        <translation>The device key is locked</translation>
    </message>
    <message>
        <source>Tidak ada penyimpanan kunci yang aman di sini. Petugas: ketik frasa sandi perangkat.</source>
        <translation>There is no secure key storage here. Staff: type the device passphrase.</translation>
    </message>
    <message>
        <source>Frasa sandi tidak disimpan.</source>
        <translation>The passphrase is not stored.</translation>
    </message>
    <message>
        <source>Buka kunci</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>VideoFileSource</name>
    <message>
        <source>Video demo tidak bisa dibuka.</source>
        <translation>The demo video cannot be opened.</translation>
    </message>
    <message>
        <source>Video demo rusak.</source>
        <translation>The demo video is damaged.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Selamat datang di Pendaftaran Kartu Prakerja</source>
        <translation>Welcome to Kartu Prakerja Registration</translation>
    </message>
    <message>
        <source>Petugas siap membantu Anda. Pendaftaran Kartu Prakerja tidak dipungut biaya.</source>
        <translation>Staff are here to help you. Registering for Kartu Prakerja is free of charge.</translation>
    </message>
    <message>
        <source>Siapkan KTP asli dan HP aktif (untuk kode SMS). Waktunya sekitar 30 menit, termasuk tes.</source>
        <translation>Have your original KTP and a working phone (for the SMS code). It takes about 30 minutes, test included.</translation>
    </message>
    <message>
        <source>Pilih bahasa / Choose language</source>
        <translation>Choose language / Pilih bahasa</translation>
    </message>
    <message>
        <source>Daftar</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>Mulai pendaftaran Kartu Prakerja baru</source>
        <translation>Start a new Kartu Prakerja registration</translation>
    </message>
    <message>
        <source>Cek Status</source>
        <translation>Check Status</translation>
    </message>
    <message>
        <source>Lihat status pendaftaran yang sudah dikirim</source>
        <translation>See the status of a registration already sent</translation>
    </message>
    <message>
        <source>Tekan Daftar untuk mendaftar, atau Cek Status untuk melihat status pendaftaran.</source>
        <translation>Press Register to register, or Check Status to see the status of a registration.</translation>
    </message>
</context>
<context>
    <name>WipeDialog</name>
    <message>
        <source>Hapus data perangkat</source>
        <translation>Wipe device data</translation>
    </message>
    <message numerus="yes">
        <source>%n pendaftaran belum terkirim dan akan hilang. Ekspor dulu ke USB, lalu hapus.</source>
        <translation>
            <numerusform>%n registration is unsent and will be lost. Export it to USB first, then wipe.</numerusform>
            <numerusform>%n registrations are unsent and will be lost. Export them to USB first, then wipe.</numerusform>
        </translation>
    </message>
    <message>
        <source>Semua pendaftaran sudah terkirim.</source>
        <translation>All registrations have been sent.</translation>
    </message>
    <message>
        <source>Kunci perangkat, antrean dan data tersimpan akan dihapus. Lanjutkan?</source>
        <translation>The device keys, the queue and stored data will be removed. Continue?</translation>
    </message>
    <message>
        <source>Ekspor dulu</source>
        <translation>Export first</translation>
    </message>
    <message>
        <source>Hapus sekarang</source>
        <translation>Wipe now</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>WizardController</name>
    <message>
        <source>Gelombang: %1</source>
        <translation>Wave: %1</translation>
    </message>
    <message>
        <source>Pendaftaran Anda akan masuk gelombang berikutnya.</source>
        <translation>Your registration will join the next wave.</translation>
    </message>
</context>
<context>
    <name>WizardScreen</name>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>◀ Kembali</source>
        <translation>◀ Back</translation>
    </message>
    <message>
        <source>Lanjut ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <source>Ya, sudah sesuai KTP</source>
        <translation>Yes, it matches the KTP</translation>
    </message>
</context>
</TS>
