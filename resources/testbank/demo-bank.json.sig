{
  "format": "prakerja-signature-v1",
  "algorithm": "Ed25519",
  "key_id": "d74283b344fbc9ce",
  "signature": "BgL8_1XNoZqh2Kk4MUoWgcTwpuruSgKL-b_FM9i9ClW_MerDwgP2M_iGLnB9AoMx2pZ2mib7cHJfWK9dHJ9aDw"
}
