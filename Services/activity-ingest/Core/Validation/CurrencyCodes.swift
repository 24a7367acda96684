/// The active ISO 4217 currency codes (ISO 4217 list one, 2024 edition; funds,
/// precious metals and testing codes excluded), checked in place.
public enum CurrencyCodes {
    private static let active: Set<UInt32> = {
        let codes = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN \
        BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD \
        FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY \
        KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP \
        MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR \
        RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT \
        TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER \
        ZAR ZMW ZWG
        """
        return Set(codes.split(separator: " ").map { code in
            code.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        })
    }()

    /// Whether `bytes` are three upper-case ASCII letters.
    public static func hasCodeShape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 3 && bytes.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    /// Whether `bytes` name an active currency.
    public static func isActive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard hasCodeShape(bytes) else { return false }
        return active.contains(UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2]))
    }
}
