// JDBC smoke test for Aspen's PostgreSQL listener. Run by pgwire's
// TestClientDrivers (java -cp postgresql.jar JdbcSmoke.java URL): prints one
// line per check and exits non-zero on the first failure.
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

public class JdbcSmoke {
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0])) {
            try (Statement st = c.createStatement()) {
                st.execute("SET extra_float_digits = 3");
                st.execute("CREATE TABLE jdbc_items (id int PRIMARY KEY, name varchar(20), price numeric(8,2), w double precision)");
            }
            // Enough executions for the driver to switch to a server-side
            // prepared statement (prepareThreshold is 5).
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_items VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 20; i++) {
                    ps.setInt(1, i);
                    if (i % 5 == 0) {
                        ps.setNull(2, java.sql.Types.VARCHAR);
                    } else {
                        ps.setString(2, "j" + i);
                    }
                    ps.setBigDecimal(3, new BigDecimal(i + ".50"));
                    ps.setDouble(4, i / 8.0);
                    check(ps.executeUpdate() == 1, "insert count");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, price, w FROM jdbc_items WHERE id = ?")) {
                for (int i = 1; i < 10; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next(), "row " + i);
                        check(i % 5 == 0 ? rs.getString(1) == null : rs.getString(1).equals("j" + i), "name " + i);
                        check(rs.getBigDecimal(2).compareTo(new BigDecimal(i + ".50")) == 0, "price " + i);
                        check(rs.getDouble(3) == i / 8.0, "w " + i);
                    }
                }
            }
            System.out.println("prepared statements ok");
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO jdbc_items (id) VALUES (500)");
                try {
                    st.executeQuery("SELECT 1/0");
                    check(false, "division by zero accepted");
                } catch (SQLException e) {
                    check("22012".equals(e.getSQLState()), "SQLSTATE " + e.getSQLState());
                }
                c.rollback();
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM jdbc_items WHERE id = 500")) {
                    check(rs.next() && rs.getLong(1) == 0, "rollback");
                }
                c.commit();
            }
            System.out.println("transactions ok");
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO jdbc_items (id) VALUES (1)");
                check(false, "duplicate accepted");
            } catch (SQLException e) {
                check("23505".equals(e.getSQLState()), "SQLSTATE " + e.getSQLState());
            }
            System.out.println("errors ok");
            metadata(c);
        }
    }

    // metadata checks DatabaseMetaData, whose queries read pg_catalog, and
    // ResultSetMetaData, which reads RowDescription's table OIDs and column
    // numbers.
    static void metadata(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE jdbc_orders (oid int PRIMARY KEY, item int REFERENCES jdbc_items (id), qty int NOT NULL)");
            st.execute("CREATE INDEX jdbc_orders_qty ON jdbc_orders (qty)");
            try (ResultSet rs = st.executeQuery("SELECT o.qty, i.name, o.qty + 1 AS q1 FROM jdbc_orders o JOIN jdbc_items i ON i.id = o.item")) {
                ResultSetMetaData rm = rs.getMetaData();
                check(rm.getTableName(1).equals("jdbc_orders") && rm.getTableName(2).equals("jdbc_items") && rm.getTableName(3).equals(""),
                    "getTableName: " + rm.getTableName(1) + " " + rm.getTableName(2) + " " + rm.getTableName(3));
                check(rm.getColumnName(1).equals("qty") && rm.getColumnLabel(3).equals("q1"), "getColumnName");
                check(rm.isNullable(1) == ResultSetMetaData.columnNoNulls && rm.isNullable(2) == ResultSetMetaData.columnNullable
                    && rm.isNullable(3) == ResultSetMetaData.columnNullableUnknown,
                    "isNullable: " + rm.isNullable(1) + " " + rm.isNullable(2) + " " + rm.isNullable(3));
                check(!rm.isAutoIncrement(1), "isAutoIncrement");
            }
            st.execute("CREATE TABLE jdbc_serial (sid serial PRIMARY KEY, label text)");
            try (ResultSet rs = st.executeQuery("SELECT sid, label FROM jdbc_serial")) {
                ResultSetMetaData rm = rs.getMetaData();
                check(rm.isAutoIncrement(1) && !rm.isAutoIncrement(2), "isAutoIncrement: serial");
                check(rm.isNullable(1) == ResultSetMetaData.columnNoNulls, "isNullable: serial");
            }
        }
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, "public", "jdbc_it%", new String[] {"TABLE"})) {
            check(rs.next() && rs.getString("TABLE_NAME").equals("jdbc_items") && rs.getString("TABLE_TYPE").equals("TABLE")
                && rs.getString("TABLE_SCHEM").equals("public"), "getTables");
            check(!rs.next(), "getTables: one table");
        }
        try (ResultSet rs = md.getSchemas()) {
            StringBuilder names = new StringBuilder();
            while (rs.next()) {
                names.append(rs.getString("TABLE_SCHEM")).append(' ');
            }
            check(names.toString().equals("information_schema pg_catalog public "), "getSchemas: " + names);
        }
        try (ResultSet rs = md.getColumns(null, "public", "jdbc_items", null)) {
            String[] want = {"id int4 4 0", "name varchar 12 1", "price numeric 2 1", "w float8 8 1"};
            for (String w : want) {
                check(rs.next(), "getColumns: " + w);
                String got = rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE") + " " + rs.getInt("NULLABLE");
                check(got.equals(w), "getColumns: " + got + ", want " + w);
            }
            check(!rs.next(), "getColumns: four columns");
        }
        try (ResultSet rs = md.getPrimaryKeys(null, "public", "jdbc_items")) {
            check(rs.next() && rs.getString("COLUMN_NAME").equals("id") && rs.getInt("KEY_SEQ") == 1
                && rs.getString("PK_NAME").equals("jdbc_items_pkey"), "getPrimaryKeys");
            check(!rs.next(), "getPrimaryKeys: one column");
        }
        try (ResultSet rs = md.getIndexInfo(null, "public", "jdbc_orders", false, false)) {
            StringBuilder got = new StringBuilder();
            while (rs.next()) {
                got.append(rs.getString("INDEX_NAME")).append(':').append(rs.getString("COLUMN_NAME")).append(':')
                    .append(rs.getBoolean("NON_UNIQUE")).append(':').append(rs.getInt("ORDINAL_POSITION")).append(' ');
            }
            check(got.toString().equals("jdbc_orders_pkey:oid:false:1 jdbc_orders_qty:qty:true:1 "), "getIndexInfo: " + got);
        }
        try (ResultSet rs = md.getImportedKeys(null, "public", "jdbc_orders")) {
            check(rs.next() && rs.getString("PKTABLE_NAME").equals("jdbc_items") && rs.getString("PKCOLUMN_NAME").equals("id")
                && rs.getString("FKTABLE_NAME").equals("jdbc_orders") && rs.getString("FKCOLUMN_NAME").equals("item")
                && rs.getInt("KEY_SEQ") == 1 && rs.getString("FK_NAME").equals("jdbc_orders_item_fkey"), "getImportedKeys");
            check(!rs.next(), "getImportedKeys: one key");
        }
        try (ResultSet rs = md.getExportedKeys(null, "public", "jdbc_items")) {
            check(rs.next() && rs.getString("FKTABLE_NAME").equals("jdbc_orders"), "getExportedKeys");
            check(!rs.next(), "getExportedKeys: one key");
        }
        System.out.println("metadata ok");
    }
}
