<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="id">
<context>
    <name>CameraSource</name>
    <message>
        <source>Izin kamera ditolak. Minta petugas mengizinkan kamera.</source>
        <translation>Izin kamera ditolak. Minta petugas mengizinkan kamera.</translation>
    </message>
    <message>
        <source>Kamera tidak ditemukan. Sambungkan kamera.</source>
        <translation>Kamera tidak ditemukan. Sambungkan kamera.</translation>
    </message>
    <message>
        <source>Kamera bermasalah: %1</source>
        <translation>Kamera bermasalah: %1</translation>
    </message>
    <message>
        <source>Kamera terlepas. Sambungkan lagi kameranya.</source>
        <translation>Kamera terlepas. Sambungkan lagi kameranya.</translation>
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
    <name>ImageSequenceSource</name>
    <message>
        <source>Tidak ada gambar untuk ditampilkan.</source>
        <translation>Tidak ada gambar untuk ditampilkan.</translation>
    </message>
</context>
<context>
    <name>KioskShell</name>
    <message>
        <source>Menyiapkan server demo…</source>
        <translation>Menyiapkan server demo…</translation>
    </message>
    <message>
        <source>Demo: server %1</source>
        <translation>Demo: server %1</translation>
    </message>
    <message>
        <source>Server demo gagal: %1</source>
        <translation>Server demo gagal: %1</translation>
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
    <name>TestQuestionScreen</name>
    <message>
        <source>Sisa waktu %1</source>
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
        <source>Selesai</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Soal %1 dari %2</source>
        <translation>Soal %1 dari %2</translation>
    </message>
    <message>
        <source>Masih ada %1 soal yang belum dijawab. Tekan Selesai sekali lagi untuk mengakhiri tes.</source>
        <translation>Masih ada %1 soal yang belum dijawab. Tekan Selesai sekali lagi untuk mengakhiri tes.</translation>
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
</TS>
