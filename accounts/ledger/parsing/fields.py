"""The ledger fields: their names, header aliases and storage limits."""

# The ledger fields, in the order the mapping form shows them.
FIELDS = (
    "invoice_number",
    "line_number",
    "invoice_date",
    "customer_code",
    "customer_name",
    "product_code",
    "quantity",
    "unit_price",
    "amount",
    "cost",
    "currency",
    "due_date",
    "paid_date",
)
REQUIRED_FIELDS = ("invoice_number", "invoice_date", "customer_code")

# Normalised header names (lower case, letters and digits only), English and Indonesian.
# A field's first aliases win when two fields could claim the same column.
ALIASES = {
    "invoice_number": (
        "invoicenumber", "invoiceno", "invoicenum", "invoiceid", "invoice", "invno", "inv",
        "docno", "documentnumber", "documentno", "billno", "nofaktur", "nomorfaktur",
        "fakturno", "faktur", "noinvoice", "nomorinvoice", "nonota", "nomornota", "nota",
        "nobukti", "bukti", "ordernumber", "orderno", "ordernum", "orderid", "order",
        "salesorder", "salesorderno", "salesorderid", "transactionid", "transactionno",
        "receiptno", "notransaksi", "nomortransaksi", "noorder", "nomororder", "nopesanan",
        "nomorpesanan",
    ),
    "line_number": (
        "linenumber", "lineno", "linenum", "line", "itemno", "itemnumber", "seq", "sequence",
        "nobaris", "baris", "nourut", "urut", "noitem", "orderlinenumber", "orderline",
        "lineitem", "rownumber", "rowno", "rownum", "rowid", "row", "no",
    ),
    "invoice_date": (
        "invoicedate", "date", "docdate", "documentdate", "transactiondate", "postingdate",
        "orderdate", "salesdate",
        "tanggal", "tgl", "tanggalfaktur", "tglfaktur", "tanggalinvoice", "tglinvoice",
        "tanggaltransaksi", "tgltransaksi",
    ),
    "customer_code": (
        "customercode", "customerid", "customerno", "customernumber", "customer", "custcode",
        "custid", "custno", "cust", "clientcode", "clientid", "accountcode", "kodepelanggan",
        "kdpelanggan", "idpelanggan", "nopelanggan", "pelanggan", "kodecustomer",
        "kodekonsumen", "konsumen",
    ),
    "customer_name": (
        "customername", "custname", "clientname", "client", "namapelanggan", "nmpelanggan",
        "namacustomer", "namakonsumen", "nama",
    ),
    "product_code": (
        "productcode", "productid", "product", "stockcode", "itemcode", "sku", "article",
        "kodeproduk", "produk", "kodebarang", "kdbarang", "barang", "kodeitem",
    ),
    "quantity": (
        "quantity", "qty", "qtty", "units", "kuantitas", "kuantiti", "banyaknya", "jumlah",
        "jumlahbarang", "jml", "qtyjual",
    ),
    "unit_price": (
        "unitprice", "price", "priceeach", "harga", "hargasatuan", "hargaunit", "hrgsatuan",
        "hargajual",
    ),
    "amount": (
        "amount", "lineamount", "linetotal", "total", "netamount", "value", "sales",
        "revenue", "nilai", "totalharga", "jumlahharga", "subtotal", "penjualan", "omzet",
        "nilaipenjualan",
    ),
    "cost": ("cost", "costamount", "totalcost", "cogs", "hpp", "hargapokok", "biaya", "modal"),
    "currency": ("currency", "curr", "ccy", "matauang", "valuta"),
    "due_date": (
        "duedate", "due", "paymentdue", "jatuhtempo", "tanggaljatuhtempo", "tgljatuhtempo",
    ),
    "paid_date": (
        "paiddate", "datepaid", "paymentdate", "tanggalbayar", "tglbayar", "tanggalpembayaran",
        "tanggallunas", "tgllunas",
    ),
}  # fmt: skip

# Column limits of the ledger tables.
MAX_LENGTH = {
    "invoice_number": 64,
    "line_number": 64,
    "customer_code": 50,
    "customer_name": 200,
    "product_code": 64,
}
MAX_AMOUNT = 1e14  # amount and cost: 18 digits, 4 decimals
MAX_QUANTITY = 1e11  # 14 digits, 3 decimals
NUMBER_FIELDS = ("quantity", "unit_price", "amount", "cost")
# Decimals the ledger keeps; a value written with more is refused, never rounded.
STORED_DECIMALS = {"amount": 4, "cost": 4, "quantity": 3}
DATE_FIELDS = ("invoice_date", "due_date", "paid_date")
