-- The lease register of the fixture (the lease module's import is not used here).
INSERT INTO leases (cluster, lot_no, tenant, start_date, end_date, note, recorded_at) VALUES
 ('HT', 'CN-01', 'Công ty TNHH Dệt may Hợp Thắng', '2022-03-01', NULL, NULL, '2022-03-01'),
 ('HT', 'CN-02', 'Công ty CP Gỗ Triệu Sơn', '2023-01-01', '2025-12-31', 'thuê 3 năm', '2023-01-01'),
 ('HT', 'CN-03', 'Công ty TNHH Cơ khí Thọ Xuân', '2021-06-01', '2023-12-31', NULL, '2021-06-01'),
 ('HT', 'CN-05', 'Công ty TNHH Điện tử Nưa', '2024-07-01', NULL, NULL, '2024-06-15');
