"""The Noto fonts behind ``noto-glyphs``: script → (Unicode name prefix, font stems),
and the sha256 of every font file kept from the Debian package ``fonts-noto-core``.

A script's fonts are ``{stem}-Regular.ttf`` and ``{stem}-Bold.ttf`` for each stem, where
the package has them (those listed in ``FONT_SHA256``)."""

BACKGROUND: dict[str, tuple[str, tuple[str, ...]]] = {
    "Greek": ("GREEK", ("NotoSans", "NotoSerif")),
    "Cyrillic": ("CYRILLIC", ("NotoSans", "NotoSerif")),
    "Armenian": ("ARMENIAN", ("NotoSansArmenian", "NotoSerifArmenian")),
    "Georgian": ("GEORGIAN", ("NotoSansGeorgian", "NotoSerifGeorgian")),
    "Hebrew": ("HEBREW", ("NotoSansHebrew", "NotoSerifHebrew")),
    "Ethiopic": ("ETHIOPIC", ("NotoSansEthiopic", "NotoSerifEthiopic")),
    "Devanagari": ("DEVANAGARI", ("NotoSansDevanagari", "NotoSerifDevanagari")),
    "Bengali": ("BENGALI", ("NotoSansBengali", "NotoSerifBengali")),
    "Gujarati": ("GUJARATI", ("NotoSansGujarati", "NotoSerifGujarati")),
    "Gurmukhi": ("GURMUKHI", ("NotoSansGurmukhi", "NotoSerifGurmukhi")),
    "Kannada": ("KANNADA", ("NotoSansKannada", "NotoSerifKannada")),
    "Malayalam": ("MALAYALAM", ("NotoSansMalayalam", "NotoSerifMalayalam")),
    "Tamil": ("TAMIL", ("NotoSansTamil", "NotoSerifTamil")),
    "Telugu": ("TELUGU", ("NotoSansTelugu", "NotoSerifTelugu")),
    "Sinhala": ("SINHALA", ("NotoSansSinhala", "NotoSerifSinhala")),
    "Thai": ("THAI", ("NotoSansThai", "NotoSerifThai")),
    "Lao": ("LAO", ("NotoSansLao", "NotoSerifLao")),
    "Khmer": ("KHMER", ("NotoSansKhmer", "NotoSerifKhmer")),
    "Myanmar": ("MYANMAR", ("NotoSansMyanmar", "NotoSerifMyanmar")),
    "Cherokee": ("CHEROKEE", ("NotoSansCherokee",)),
    "Canadian syllabics": ("CANADIAN SYLLABICS", ("NotoSansCanadianAboriginal",)),
    "Javanese": ("JAVANESE", ("NotoSansJavanese",)),
    "Balinese": ("BALINESE", ("NotoSansBalinese", "NotoSerifBalinese")),
    "Runic": ("RUNIC", ("NotoSansRunic",)),
    "Glagolitic": ("GLAGOLITIC", ("NotoSansGlagolitic",)),
    "Coptic": ("COPTIC", ("NotoSansCoptic",)),
}
EVALUATION: dict[str, tuple[str, tuple[str, ...]]] = {
    "Tifinagh": ("TIFINAGH", ("NotoSansTifinagh", "NotoSansTifinaghAPT",
                              "NotoSansTifinaghAdrar", "NotoSansTifinaghHawad")),
    "Vai": ("VAI", ("NotoSansVai",)),
    "Osage": ("OSAGE", ("NotoSansOsage",)),
    "Deseret": ("DESERET", ("NotoSansDeseret",)),
    "Gothic": ("GOTHIC", ("NotoSansGothic",)),
    "Old Italic": ("OLD ITALIC", ("NotoSansOldItalic",)),
    "Phoenician": ("PHOENICIAN", ("NotoSansPhoenician",)),
    "NKo": ("NKO", ("NotoSansNKo",)),
    "Ol Chiki": ("OL CHIKI", ("NotoSansOlChiki",)),
    "Bamum": ("BAMUM", ("NotoSansBamum",)),
    "Adlam": ("ADLAM", ("NotoSansAdlamUnjoined",)),
    "Cham": ("CHAM", ("NotoSansCham",)),
    "Sundanese": ("SUNDANESE", ("NotoSansSundanese",)),
    "Syriac": ("SYRIAC", ("NotoSansSyriac",)),
    "Samaritan": ("SAMARITAN", ("NotoSansSamaritan",)),
    "Yi": ("YI", ("NotoSansYi",)),
}
FONT_SHA256 = {
    "NotoSans-Bold.ttf":
        "e83493c945848ecd4a9ad0f6d19164541a0d3e23a9c952304a00a46e00272ac5",
    "NotoSans-Regular.ttf":
        "89c3c497f618fdaa0b2d1e98fef93582f28c71debd2c4a8cdf41f190ced2909d",
    "NotoSansAdlamUnjoined-Bold.ttf":
        "7e9335fcb64373e95aa9ca348f7ceb3561aca039e469d084c46538251c63d904",
    "NotoSansAdlamUnjoined-Regular.ttf":
        "9bea8524ccb964f82658e97831615a5ac9ed48869cb4008a7eedb55fbe863289",
    "NotoSansArmenian-Bold.ttf":
        "a0f398d0205f0b96d6637ac66d92e6e42b230f8ed3853a050d0aa5792eb9b7f7",
    "NotoSansArmenian-Regular.ttf":
        "9636c32c121f4fc1fc6963dfad60ea32c41889507118a46f83a818eacf40348e",
    "NotoSansBalinese-Bold.ttf":
        "655f5e8fe488bd1dd532148d9225ce7cb34d8de1acd8f84c25d86c43f023ca94",
    "NotoSansBalinese-Regular.ttf":
        "97d94b44707d68adde5d0e766536c016e635b64006a4b2dcf4ed79959480f095",
    "NotoSansBamum-Bold.ttf":
        "33ad7daa344320fd5d106a1124f7279d530db1106647052aafcf50cea1c87fe6",
    "NotoSansBamum-Regular.ttf":
        "5de881d26f4913c63f81db283bcffaafe1f0775d1be8072f39a4f8c0c09b90aa",
    "NotoSansBengali-Bold.ttf":
        "22c9ff99baca4d31c531ce450a1369beed889467e1ad964f4b8a6f810aa46955",
    "NotoSansBengali-Regular.ttf":
        "9bb35b3547829ecc42041b6017e87fd4c5f1da1edcd00f59171777050f346018",
    "NotoSansCanadianAboriginal-Bold.ttf":
        "7e6bf0f2b0795a238f090380a180d545a4d911b5a404dc1f478436b7c4c1b067",
    "NotoSansCanadianAboriginal-Regular.ttf":
        "66b4f453f27d176045bab8e168397ec46322d74306931c807f500eb41c984157",
    "NotoSansCham-Bold.ttf":
        "e5c6d0db5ddbc295820eaa5f18d30413fdea6be914d7556b4e736686d948a516",
    "NotoSansCham-Regular.ttf":
        "b87ef0181fb1f11da6a36846724a299143d73d8afffd238018fd91291beb87bb",
    "NotoSansCherokee-Bold.ttf":
        "2b09b627a4cf27aa1c4ddd72377509de07f0445f3f1a480dec14ca5211a07eef",
    "NotoSansCherokee-Regular.ttf":
        "bda37783ba22f62d71a647f5ddce6f8e4b4d6959eba3afd5a7eccbcaaa85f72c",
    "NotoSansCoptic-Regular.ttf":
        "9681bb92c70f4ff74a6a004a139719b6778dfabfcad17cec978a9601d9c69d29",
    "NotoSansDeseret-Regular.ttf":
        "35a4d331a76073eeff539442b2c3b49efb58baa0d34d1da0f685f6a4b98d1e2f",
    "NotoSansDevanagari-Bold.ttf":
        "77ad688cfe1dc55185bf4edb4db3c614202c65dd23a1463ad0e23fc52bcc9a5c",
    "NotoSansDevanagari-Regular.ttf":
        "79a470365ccb210fa3c7d8d8ff2e005ef9d983cfd067f735a0caf7e15070ca9f",
    "NotoSansEthiopic-Bold.ttf":
        "cc16f0c43be76a2ecb5f6d08de4fe6705886b9be90251bfb5959a90955be7f1d",
    "NotoSansEthiopic-Regular.ttf":
        "58bc43b062961b38ee45757d2e74e6a991a12011aa0399fb03004ac432e5c852",
    "NotoSansGeorgian-Bold.ttf":
        "2cee22513f5c94b5577fe1a91df94836dc9825ac78e5b3a9f3c49d1f038a5f11",
    "NotoSansGeorgian-Regular.ttf":
        "ba75f2154fef9beac8439f94c631dc37ef9c708d32f9254bb019afdfa9aa3138",
    "NotoSansGlagolitic-Regular.ttf":
        "5526e640b205befa2f59b3c46513fc94be896a13c4428f84000eb22f8a8f3a32",
    "NotoSansGothic-Regular.ttf":
        "c85e7780c3adda90f56591914d89c3ed4dc9ea1b23d7e3a462fcd39e888ec70f",
    "NotoSansGujarati-Bold.ttf":
        "db2b642c28b021da8cb0f3463bf41376549c850aa718ca863ec3ff5d5df0f2f7",
    "NotoSansGujarati-Regular.ttf":
        "4468a3a24516831874fb4a867b760a22257944584e478d32a97e3c4d4bfc6400",
    "NotoSansGurmukhi-Bold.ttf":
        "ded9c1f56a7ed0b835cfef5dd642f26cfc0f41a16fbc08008d376ddcc91d606e",
    "NotoSansGurmukhi-Regular.ttf":
        "1db960ff6f506a98f5b3ece78f54618388c6187e7edf8ceee5ab63389c0db3ab",
    "NotoSansHebrew-Bold.ttf":
        "d3b01343f71e8a93fffb84c345a1aecbaf4694b98d0eaace916cb9eac9e6dcd3",
    "NotoSansHebrew-Regular.ttf":
        "436900d5ad77d33e4234247f3076eaecd25b92b9bea0519514f684140e3566a7",
    "NotoSansJavanese-Bold.ttf":
        "5f22e4a45700f7ec3f1eb36d36fbc9669f7c2fe418fa32088857b9f7c214d764",
    "NotoSansJavanese-Regular.ttf":
        "faff63a3ea4c5a882508d85935f02e4f80e923551d4716e27706dd3c6cb07d67",
    "NotoSansKannada-Bold.ttf":
        "fcb9918669a24e33b1464b33eeac24e9a0f54a50393dfdaeb1e596cfcf2dac47",
    "NotoSansKannada-Regular.ttf":
        "892b841b0b87ca3c2702bdc78d3031c8220f53e8f5f496ec5e37ccf0ca03ddf7",
    "NotoSansKhmer-Bold.ttf":
        "cc74e7ac685da9a84e18b773ec8d80d06765aa1754bb14acc390c3620023c4dc",
    "NotoSansKhmer-Regular.ttf":
        "bc9a5e2afcee249849e409aabe6e22330c479b878ea3e59bf5e7c84482d7ee53",
    "NotoSansLao-Bold.ttf":
        "b87a8592f1cdd8b15e1e827967afd45a8c5ffc1123773bc4bd023fe1ccecd321",
    "NotoSansLao-Regular.ttf":
        "6c3de7db369e85cba20255d161eeeb3d934ea3c4c51e2574c2ddcce79a25025c",
    "NotoSansMalayalam-Bold.ttf":
        "abe54dff7c6539899f1208672ae4235207b3e6b8d49594e9ff02d972d5975a81",
    "NotoSansMalayalam-Regular.ttf":
        "5433f4a642b4325aa169a55c4c6b8d1c4a45c4e08bcd9cbe72888229709a8f2d",
    "NotoSansMyanmar-Bold.ttf":
        "e37e2ef189431020b1eaf4fb8d43252666dc24265d628145fff119613afea174",
    "NotoSansMyanmar-Regular.ttf":
        "3fe9a4babc12081adc979e0313433e6ec85bb3ad069681c23ee8d8ea8b91332b",
    "NotoSansNKo-Regular.ttf":
        "389f4082894bf1833dc5f140a282496114366b410779fbb16b3486f4660e9313",
    "NotoSansOlChiki-Bold.ttf":
        "8c92ae4977a5745e30b14c447b999f5c286a0f0a0f137160831c94bfda10dffa",
    "NotoSansOlChiki-Regular.ttf":
        "3dc960a2d687b0e4fe03e5c2eb88be2a3d244c4509029277ca2be248787d33b3",
    "NotoSansOldItalic-Regular.ttf":
        "732462966b4e78346875e63b78c66094d64bf2a3a9a56d4084f623a542f74904",
    "NotoSansOsage-Regular.ttf":
        "27d3b1ea74cc799025ed5e8b58d1a33185530c43fbb4119fffbcd161269477d3",
    "NotoSansPhoenician-Regular.ttf":
        "a79d2c4f0b4c04cfb8dc97c91145d29dc89965f3afc3985f7c4006ccbde58def",
    "NotoSansRunic-Regular.ttf":
        "49e540798dedccf24301437fb5ea5c8a3f42143b1b6c108c1d48c78a41c4ce0f",
    "NotoSansSamaritan-Regular.ttf":
        "4878dd9a29f8d24ba1869c85ae5c3b7056e677a14b355135f3359b90b14e1ecc",
    "NotoSansSinhala-Bold.ttf":
        "9ac3c2da2562fd3ce449e600a9954a3c5dad982145c85159449fe1c31f648a6e",
    "NotoSansSinhala-Regular.ttf":
        "31f83eec724a27779d1434afc84beabee239c0ff77dc8d04bee9f49c60b23fdd",
    "NotoSansSundanese-Bold.ttf":
        "b202131dee605b4bfee1dfe4e435ac8a4b2ec92e0febf6999c4bb6c3238f4770",
    "NotoSansSundanese-Regular.ttf":
        "eff2b13deacba332b2ddbfebee7dce77cb999d99fb2e342d6027fce71902669b",
    "NotoSansSyriac-Regular.ttf":
        "49917b4472e91dfb37291ef4f4821957f4225edaddb6100b1d8736df3910b237",
    "NotoSansTamil-Bold.ttf":
        "7ef7071ba2fad67dcae397dc7f5bfd4dbce69d86cdc453c2cc4abe640df0b442",
    "NotoSansTamil-Regular.ttf":
        "a7bb7f92f165479af2f0556c4fd669b74c5959f464f603e18389b532f4d07a71",
    "NotoSansTelugu-Bold.ttf":
        "34e3a81c02ea8474f00b1046cbb183461648fd253a56475140d6b025db828b5b",
    "NotoSansTelugu-Regular.ttf":
        "cb3165071121b1e80c55a041d0c1f79b3bbc68e4b0eab37b0d881958dfc3ed7a",
    "NotoSansThai-Bold.ttf":
        "97bbc8ea98328325285f2f552228c7aac1db39d8f38f0096a61ba7df1f1f780e",
    "NotoSansThai-Regular.ttf":
        "dfbd5ed0f1e68c3cbc51aa08f646d1ab0e68e7c4ceab70a69e465225ff701f93",
    "NotoSansTifinagh-Regular.ttf":
        "176233c9dd5649184f3206680debc1a50b411a9229049e0b5d212776af1e2034",
    "NotoSansTifinaghAPT-Regular.ttf":
        "b9d61693c9166a56865d77df9ad353a67e8d0e169f88b5800743108d9d97a39e",
    "NotoSansTifinaghAdrar-Regular.ttf":
        "cd1ba1bff933b9215881080d4e5f58f5c5d2e9b48eb1a0c0393c8560e316cfe4",
    "NotoSansTifinaghHawad-Regular.ttf":
        "9af823b2187ee3d91d27d6ace7419e41cd09bf6d9986282ff00af2187615352c",
    "NotoSansVai-Regular.ttf":
        "5f58a9c96639c56ea31f85282084dde6d658ede746e3eec64869212fc25a393a",
    "NotoSansYi-Regular.ttf":
        "f621f514dce105a414ef7373a36b54ccc8d760a6319ad7133695fb42a1f02552",
    "NotoSerif-Bold.ttf":
        "0af0ff2be8f84910fb21ec5fe1b6b7395e3073250502a334baf6ca2f860c88fe",
    "NotoSerif-Regular.ttf":
        "9d7583b7dc9e812afd32a14280c5cac3160012efe50c8d08938f4fea266ff67f",
    "NotoSerifArmenian-Bold.ttf":
        "fea8914af4f165301e619655e1e5fa447c65c08077010c8153bfe2d599d85bc1",
    "NotoSerifArmenian-Regular.ttf":
        "9b6f1837a89ede5f9404bb5975539dbac8eff23e262fc3e459cba029f30292f4",
    "NotoSerifBalinese-Regular.ttf":
        "1bf8d4f3e8615b0cacb92ffcf5b694256ba1f3813fa05b0871ad8f1e9a0e4377",
    "NotoSerifBengali-Bold.ttf":
        "96cc17640329810e2ac1b53d61ec4f429ba9bf729d4f37623a296581d79a5133",
    "NotoSerifBengali-Regular.ttf":
        "32b4aeb731e3819d7a31216c885208a96e402ceeebb30fc39723b99220708fef",
    "NotoSerifDevanagari-Bold.ttf":
        "42a0d0664b51212894c8bb226ad8947c194f1ab1903555a41979877d3b9267be",
    "NotoSerifDevanagari-Regular.ttf":
        "662c3cd6e17dd0561f53fe28ce6c32d7d64e650119f4bb0428fc50206bbc46fe",
    "NotoSerifEthiopic-Bold.ttf":
        "57ae343eee78a8cb40532dc21edf7740001a39f557c61d85c06f66894cc15474",
    "NotoSerifEthiopic-Regular.ttf":
        "30bd9e21c81cd95a3004bbf75aba9b2ab5f861408a3fbb4f82b10fe82072952b",
    "NotoSerifGeorgian-Bold.ttf":
        "635bc1529b2ca28dfc694aa7cd1e9960c04fdfcde99ee5b7f7b34761d37259fe",
    "NotoSerifGeorgian-Regular.ttf":
        "4489ca2f28b4a79b16bc8ba6a857a8cd14857e04a14b8fa1031b7b84a00fe537",
    "NotoSerifGujarati-Bold.ttf":
        "3ffd3aca4b23f250f3d1370375ae8c70884370bb7c5078a3733769045ae31472",
    "NotoSerifGujarati-Regular.ttf":
        "fcd8029bb13fb27a410977bd10472bfa3cd195c9a35e5145916ab59bac5ed9da",
    "NotoSerifGurmukhi-Bold.ttf":
        "a1550839d8dda8e422cc05b94ba13af13595f677255f106ad52b7fe020a7899a",
    "NotoSerifGurmukhi-Regular.ttf":
        "7f7310c46abbe834227000c7bf854fbe1b31d470fb43c26aac22ec90a924c181",
    "NotoSerifHebrew-Bold.ttf":
        "95150a28d438cba6c79393ef18ad06f39a8b53a7d457e61d8c9d585176ef36da",
    "NotoSerifHebrew-Regular.ttf":
        "789b7e7e3ff4d95a5e105872a385db12c50c08b60ad5b773d25a3bec86621abf",
    "NotoSerifKannada-Bold.ttf":
        "201c469f27e419ad5676f9a293dbcc76d2fc9cf4b0ad831efbf2723da3631236",
    "NotoSerifKannada-Regular.ttf":
        "ced7b7899a1c20cc17ec4e6bc9209c911ccf4f469ee5fd6bc4cb4bf0335bd88e",
    "NotoSerifKhmer-Bold.ttf":
        "642cc0a8da68b6a2cb53017144eff68057c6731c42f5829601d15a25f28a9221",
    "NotoSerifKhmer-Regular.ttf":
        "98a2e27f6bc1d6ed58e6c9d32d84b84aa9dae4cdf727f3b3f36d03f3c06ff123",
    "NotoSerifLao-Bold.ttf":
        "0613b9803cc45e1794a0f87e79f5a70ff3119676509b6de8807540120107f4a0",
    "NotoSerifLao-Regular.ttf":
        "18cecc9fc9ef0fe10f12cff8ddba88317d8b45fb1dfa2aa935d225184ad3893c",
    "NotoSerifMalayalam-Bold.ttf":
        "f76f82ffac39f7490b3608761b14e8c416aa4554b1591725de86d36ab51745b4",
    "NotoSerifMalayalam-Regular.ttf":
        "644e763e02252bc8674865aa78defdfdecbdbde71c9b408ff643f76337201dde",
    "NotoSerifMyanmar-Bold.ttf":
        "37ce93b711966fbade660e2f9173c04aa80d1232c16cb5458e22cb8f6d0560fd",
    "NotoSerifMyanmar-Regular.ttf":
        "f88d1da5a75a8e09ff0b073fe3c861d095a72e94fea3235f09f80e6c5b2c9933",
    "NotoSerifSinhala-Bold.ttf":
        "a7b73afecc64acc2cf1aaf7a8eb2ab9eb2cc75bce6497240be29563fa450c87a",
    "NotoSerifSinhala-Regular.ttf":
        "c124f62c75ab6829e49ff46fb56ceda7ee18f99b8f90740fab5e27b605eeb193",
    "NotoSerifTamil-Bold.ttf":
        "1cb01b8096603e16917c67769f0f6b3faad390cab02b35fa81662dd5611dcc22",
    "NotoSerifTamil-Regular.ttf":
        "f9c887e6c0b61f474b1916fdadd64d495321208efc0ecd1335e6526ca3d05488",
    "NotoSerifTelugu-Bold.ttf":
        "3ccec8830f3a55b4395ae24ab73aae25b92ca05e293a352726b89cf5b06a16ad",
    "NotoSerifTelugu-Regular.ttf":
        "c5ac5a077a35eb18288fad9be81f55dec392d0ddb134a366a0d3a9b615c3df3a",
    "NotoSerifThai-Bold.ttf":
        "befef873c46740e20a49e8762c151d5fe1dddd0ecdddaf48766c709eae51f086",
    "NotoSerifThai-Regular.ttf":
        "8e1bcaa4fef346b247092cf4327c4744eda2fa72afed96e2145dc30a3b04fdd1",
}
