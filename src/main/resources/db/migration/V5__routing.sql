-- Routing: the route a spawn was chosen by (null when its client chose the model), and the
-- routing evidence of each caste on each model (null in rows written before: then it is
-- drawn from their counts when read).
ALTER TABLE spawns ADD COLUMN route jsonb;
ALTER TABLE caste_stats ADD COLUMN routing jsonb;
