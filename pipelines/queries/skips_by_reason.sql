SELECT reason, count(*) AS n FROM skips GROUP BY reason ORDER BY reason
