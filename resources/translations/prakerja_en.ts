<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name>CameraSource</name>
    <message>
        <source>Izin kamera ditolak. Minta petugas mengizinkan kamera.</source>
        <translation>Camera permission denied. Ask the staff to allow the camera.</translation>
    </message>
    <message>
        <source>Kamera tidak ditemukan. Sambungkan kamera.</source>
        <translation>No camera found. Connect a camera.</translation>
    </message>
    <message>
        <source>Kamera bermasalah: %1</source>
        <translation>Camera problem: %1</translation>
    </message>
    <message>
        <source>Kamera terlepas. Sambungkan lagi kameranya.</source>
        <translation>The camera was disconnected. Connect it again.</translation>
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
    <name>ImageSequenceSource</name>
    <message>
        <source>Tidak ada gambar untuk ditampilkan.</source>
        <translation>No picture to show.</translation>
    </message>
</context>
<context>
    <name>KioskShell</name>
    <message>
        <source>Menyiapkan server demo…</source>
        <translation>Starting the demo server…</translation>
    </message>
    <message>
        <source>Demo: server %1</source>
        <translation>Demo: server %1</translation>
    </message>
    <message>
        <source>Server demo gagal: %1</source>
        <translation>Demo server failed: %1</translation>
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
    <name>TestQuestionScreen</name>
    <message>
        <source>Sisa waktu %1</source>
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
        <source>Selesai</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Soal %1 dari %2</source>
        <translation>Question %1 of %2</translation>
    </message>
    <message>
        <source>Masih ada %1 soal yang belum dijawab. Tekan Selesai sekali lagi untuk mengakhiri tes.</source>
        <translation>%1 questions are still unanswered. Press Finish again to end the test.</translation>
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
</TS>
